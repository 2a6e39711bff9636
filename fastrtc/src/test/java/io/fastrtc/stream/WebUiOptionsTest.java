package io.fastrtc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fastrtc.transport.UiEndpoints;
import io.fastrtc.ui.UiOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebUiOptionsTest {

    @Test
    void optionsAreChecked() {
        assertThatThrownBy(() -> UiOptions.builder().iconButtonColor("red; background: url(x)").build())
                .hasMessageContaining("iconButtonColor must be a CSS colour");
        assertThatThrownBy(() -> UiOptions.builder().iconRadius(80).build()).hasMessageContaining("0 (square) to 50");
        assertThat(UiOptions.builder().pulseColor("rgb(10, 20, 30)").iconButtonColor("var(--accent)").build()).isNotNull();
        assertThat(WebUi.envPort(Map.of())).isEqualTo(7860);
        assertThat(WebUi.envPort(Map.of("PORT", "8080"))).isEqualTo(8080);
        assertThatThrownBy(() -> WebUi.envPort(Map.of("PORT", "http"))).hasMessageContaining("PORT must be a port number");
        assertThat(WebUiEndpoints.relative("", "/webrtc/offer")).isEqualTo("webrtc/offer");
        assertThat(WebUiEndpoints.relative("/ui", "/api/webrtc/offer")).isEqualTo("../api/webrtc/offer");
        assertThat(UiEndpoints.normalise("ui/")).isEqualTo("/ui");
        assertThat(UiEndpoints.normalise("/")).isEmpty();
    }

    @Test
    void launchWithoutAServerAdapterSaysWhichModuleToAdd() {
        try (FastRtc rtc = FastRtc.create()) {
            Stream stream = Stream.builder().runtime(rtc).video((frame, inputs) -> frame).build();
            assertThatThrownBy(() -> stream.ui().launch("127.0.0.1", 0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("fastrtc-javalin");
        }
    }
}
