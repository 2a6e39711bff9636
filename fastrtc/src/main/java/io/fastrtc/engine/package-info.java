/**
 * The only code that touches libwebrtc (webrtc-java 0.14.0). It owns every workaround the probe
 * found, so none of them can reach the rest of the library or its users:
 * <ul>
 *   <li>one factory per engine, with the headless audio module's playout started <em>before</em> the
 *       factory, which keeps callers' audio apart;</li>
 *   <li>the native library is loaded before any utility class is touched;</li>
 *   <li>every native callback body is guarded (an escaping exception aborts the JVM) and only
 *       hands work to our own threads; nothing blocks, closes or queries from inside a sink;</li>
 *   <li>native video frames are always released, also when dropped;</li>
 *   <li>closed peer connections and their senders are really freed ({@link io.fastrtc.engine.NativeRefs});</li>
 *   <li>audio and video tracks get different stream ids (shared ids make the receiver's lip-sync
 *       add ever-growing video delay);</li>
 *   <li>the server picks the video codec by reordering the offer's payload types ({@link io.fastrtc.engine.Sdp}).</li>
 * </ul>
 * Public types here are an internal SPI for the stream package and tests, not user API.
 *
 * <p>May depend on: webrtc-java, {@code io.fastrtc.audio}, {@code io.fastrtc.video}, {@code
 * io.fastrtc.ice} and {@code io.fastrtc.internal}. Never the stream.
 */
package io.fastrtc.engine;
