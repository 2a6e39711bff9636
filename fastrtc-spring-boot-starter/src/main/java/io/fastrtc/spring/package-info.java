/**
 * FastRTC in Spring Boot: auto-configuration (the {@code FastRtc} runtime bean, closed after the
 * streams, and the {@code Stream.Builder}), {@code fastrtc.*} properties, and a stream's routes,
 * WebSockets and web UI on Spring MVC.
 *
 * <p>May depend on: the core's API and SPI ({@code io.fastrtc.transport}), {@code
 * io.fastrtc.internal}, optionally {@code io.fastrtc.redis}, and Spring. Never Javalin or Jetty.
 */
package io.fastrtc.spring;
