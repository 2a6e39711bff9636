package io.fastrtc.spring.example;

import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.stream.Stream;
import io.fastrtc.ui.Slider;
import io.fastrtc.ui.Textbox;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * FastRTC inside a Spring Boot application: one {@link Stream} bean, and the starter serves
 * {@code POST /webrtc/offer}, {@code GET /webrtc/rtc-configuration} and the web UI at {@code /ui/}
 * on the application's own server, configured in {@code application.properties}.
 *
 * <p>Run it with {@code scripts/demo-spring [port]} (it builds without running the tests, then
 * starts the app) and open {@code http://localhost:8080/ui/}. With {@code fastrtc.redis.uri} set, run it several times behind
 * a load balancer (see DEPLOYMENT.md).
 */
@SpringBootApplication
public class FlipApplication {

    public static void main(String[] args) {
        SpringApplication.run(FlipApplication.class, args);
    }

    /** Flips the camera upside down while the slider is above 0.5, and says so. */
    @Bean
    Stream flip(Stream.Builder fastrtc) {
        return fastrtc
                .video((frame, inputs) -> {
                    boolean flip = inputs.getDouble(0) > 0.5;
                    return (flip ? frame.flipVertical() : frame).with(AdditionalOutputs.of(
                            flip ? "flipped at " + inputs.getDouble(0) : "as is at " + inputs.getDouble(0)));
                })
                .additionalInputs(Slider.of("Flip threshold", 0, 1, 0.8))
                .additionalOutputs(Textbox.of("State"))
                .build();
    }
}
