package io.fastrtc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fastrtc.stream.Stream;
import io.fastrtc.turn.Endpointing;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChecksTest {

    @Test
    void aPositiveDurationPasses() {
        assertThat(Checks.positive("timeout", Duration.ofNanos(1), Duration.ofSeconds(1))).isEqualTo(Duration.ofNanos(1));
    }

    @Test
    void zeroNegativeAndNullNameTheSettingTheValueAndAValidOne() {
        assertThatThrownBy(() -> Checks.positive("timeout", Duration.ZERO, Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout must be a positive Duration, such as Duration.ofSeconds(30); got PT0S");
        assertThatThrownBy(() -> Checks.positive("silence", Duration.ofMillis(-5), Duration.ofMillis(400)))
                .hasMessage("silence must be a positive Duration, such as Duration.ofMillis(400); got PT-0.005S");
        assertThatThrownBy(() -> Checks.positive("timeLimit", null, Duration.ofMinutes(10)))
                .hasMessage("timeLimit must be a positive Duration, such as Duration.ofMinutes(10); got null");
    }

    @Test
    void theBuildersUseIt() {
        assertThatThrownBy(() -> Stream.builder().connectTimeout(Duration.ofSeconds(-1)))
                .hasMessage("connectTimeout must be a positive Duration, such as Duration.ofSeconds(30); got PT-1S");
        assertThatThrownBy(() -> Stream.builder().hangWarning(null)).hasMessageContaining("hangWarning must be");
        assertThat(Stream.builder().timeLimit(null)).as("no limit").isNotNull();
        assertThatThrownBy(() -> Endpointing.builder().silence(Duration.ZERO).build())
                .hasMessageStartingWith("silence must be a positive Duration");
    }
}
