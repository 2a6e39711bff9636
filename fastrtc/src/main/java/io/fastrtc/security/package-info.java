/**
 * Who may use a stream and how much: the framework-free request view ({@link
 * io.fastrtc.security.Request}) an {@link io.fastrtc.security.Authorizer} decides on, {@link
 * io.fastrtc.security.AccessDenied}, {@link io.fastrtc.security.Limits}, {@link
 * io.fastrtc.security.Cors} and {@link io.fastrtc.security.TrustedProxies}.
 *
 * <p>May depend on: the JDK and SLF4J only: adapters turn its refusals into replies ({@code
 * io.fastrtc.transport.HttpReply}).
 */
package io.fastrtc.security;
