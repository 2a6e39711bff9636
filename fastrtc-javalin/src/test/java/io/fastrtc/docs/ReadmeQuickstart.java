package io.fastrtc.docs;

import io.fastrtc.javalin.FastRtcPlugin;
import io.fastrtc.stream.Stream;
import io.fastrtc.ui.Slider;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.Map;

/** The README's first snippet, verbatim between the markers ({@link ReadmeTest} checks that it stays so). */
final class ReadmeQuickstart {

    record Running(Stream stream, Javalin app) {
    }

    private ReadmeQuickstart() {
    }

    static Running start() {
        // README begin
        Stream stream = Stream.builder()
                .video((frame, inputs) -> inputs.getDouble(0) > 0.5 ? frame.flipVertical() : frame)
                .additionalInputs(Slider.of("Flip threshold", 0, 1, 0.8))
                .concurrencyLimit(5)
                .timeLimit(Duration.ofMinutes(10))
                .build();

        Javalin app = Javalin.create(cfg -> {
            cfg.registerPlugin(new FastRtcPlugin(stream));      // POST /webrtc/offer, FastRTC's protocol
            cfg.routes.post("/input_hook", ctx -> {             // your own input hook
                var body = ctx.bodyAsClass(Map.class);
                stream.authorize(FastRtcPlugin.request(ctx))    // acts for the request: only the connection's owner
                      .setInput((String) body.get("webrtc_id"), body.get("threshold"));
            });
        });
        app.start(8000);
        // README end
        return new Running(stream, app);
    }
}
