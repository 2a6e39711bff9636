/**
 * Several instances of one stream behind a load balancer: the {@link io.fastrtc.cluster.Broker} seam
 * through which instances find each other's connections, and {@link io.fastrtc.cluster.InMemoryBroker}
 * for one process (module {@code fastrtc-redis} has the shared one).
 *
 * <p>May depend on: {@code io.fastrtc.internal}. Nothing of the stream: brokers carry opaque ids and
 * text.
 */
package io.fastrtc.cluster;
