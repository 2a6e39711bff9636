/**
 * {@code FlipApplication}: the example Spring Boot app.
 *
 * <p>May depend on: the core's API packages and the Spring Boot starter.
 */
package io.fastrtc.spring.example;
