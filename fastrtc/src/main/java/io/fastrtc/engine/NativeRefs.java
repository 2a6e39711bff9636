package io.fastrtc.engine;

import dev.onvoid.webrtc.internal.NativeObject;
import dev.onvoid.webrtc.internal.RefCountedObject;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops native references that webrtc-java 0.14.0 never drops.
 *
 * <p>{@code RTCPeerConnection.close()} closes the native peer connection but keeps the reference
 * {@code createPeerConnection} took, and every {@code RTCRtpSender} from {@code addTrack} holds one
 * more (upstream issue 239, fixed only in releases that are not on Maven Central). Each closed
 * connection then leaks its whole native graph (about 0.17 MB per cycle, measured). The library
 * already ships a JNI {@code Release()} for ref-counted objects: pointing a {@link RefCountedObject}
 * at the leaked pointer and releasing it frees the graph. That relies on {@code RefCountInterface}
 * being the primary base of {@code PeerConnectionInterface} and {@code RtpSenderInterface}, which
 * holds for libwebrtc M138 that 0.14.0 bundles. Handles are read before {@code close()} (which
 * clears them) and cleared afterwards so no wrapper can touch freed memory.
 */
final class NativeRefs {

    private static final Logger LOG = LoggerFactory.getLogger(NativeRefs.class);
    private static final Field HANDLE = handleField();
    /**
     * Set the system property {@code fastrtc.engine.releaseNativeRefs=false} to turn the workaround
     * off; only the leak benchmark does, to measure what it saves.
     */
    private static final boolean ENABLED = !"false".equals(System.getProperty("fastrtc.engine.releaseNativeRefs"));

    private NativeRefs() {
    }

    /** Whether the workaround can run in this JVM (it needs reflective access to webrtc-java internals). */
    static boolean available() {
        return HANDLE != null;
    }

    static long handleOf(NativeObject object) {
        if (HANDLE == null || object == null) {
            return 0;
        }
        try {
            return HANDLE.getLong(object);
        } catch (IllegalAccessException e) {
            return 0;
        }
    }

    static void clear(NativeObject object) {
        if (HANDLE != null && object != null) {
            try {
                HANDLE.setLong(object, 0);
            } catch (IllegalAccessException e) {
                // cannot happen: the field was made accessible
            }
        }
    }

    /** Drops one reference to the native ref-counted object at {@code handle}. */
    static void release(long handle) {
        if (handle == 0 || HANDLE == null || !ENABLED) {
            return;
        }
        Releaser releaser = new Releaser();
        try {
            HANDLE.setLong(releaser, handle);
            releaser.release();
        } catch (IllegalAccessException e) {
            LOG.warn("could not release native object", e);
        } finally {
            clear(releaser);
        }
    }

    private static Field handleField() {
        try {
            Field field = NativeObject.class.getDeclaredField("nativeHandle");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LoggerFactory.getLogger(NativeRefs.class).warn("webrtc-java internals are not accessible ({});"
                    + " closed connections will leak native memory. On the module path add"
                    + " --add-opens webrtc.java/dev.onvoid.webrtc.internal=ALL-UNNAMED", e.toString());
            return null;
        }
    }

    /**
     * Disposes a local track, then its source. 0.14.0's {@code track.dispose()} throws
     * {@code java.lang.Error} when a native reference survives; the source must go all the same.
     */
    static void disposeTrack(dev.onvoid.webrtc.media.MediaStreamTrack track, Runnable disposeSource) {
        try {
            track.dispose();
        } catch (Throwable e) {
            LOG.debug("track dispose: {}", e.toString());
        }
        try {
            disposeSource.run();
        } catch (Throwable e) {
            LOG.debug("source dispose: {}", e.toString());
        }
    }

    private static final class Releaser extends RefCountedObject {
    }
}
