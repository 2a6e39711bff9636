package io.fastrtc.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When a connection's outgoing video steps down and back up, on a simulated clock. */
class ResolutionGovernorTest {

    private static final long INTERVAL = TimeUnit.MILLISECONDS.toNanos(33);
    private final ResolutionGovernor governor = new ResolutionGovernor();
    private long now = TimeUnit.SECONDS.toNanos(100);

    /** Feeds frames of {@code handlerMillis} each, one interval apart, for {@code millis}; returns the last scale. */
    private double run(long handlerMillis, long millis) {
        double scale = governor.scale();
        for (long end = now + TimeUnit.MILLISECONDS.toNanos(millis); now < end; now += INTERVAL) {
            scale = governor.onFrame(TimeUnit.MILLISECONDS.toNanos(handlerMillis), INTERVAL, now);
        }
        return scale;
    }

    @Test
    void aHandlerThatKeepsUpStaysAtFullSize() {
        assertThat(run(10, 20_000)).isEqualTo(1);
    }

    @Test
    void aShortOverrunDoesNotChangeTheResolution() {
        assertThat(run(50, 1_500)).isEqualTo(1);
        assertThat(run(10, 10_000)).isEqualTo(1);
    }

    @Test
    void aSustainedOverrunStepsDownOneStepPerPeriodToTheLowest() {
        assertThat(run(50, 2_500)).isEqualTo(2);
        assertThat(run(50, 2_000)).isEqualTo(4);
        assertThat(run(50, 10_000)).as("no lower step").isEqualTo(4);
    }

    @Test
    void recoveryStepsBackUpOnlyAfterItLasts() {
        run(50, 5_000);
        assertThat(governor.scale()).isEqualTo(4);
        assertThat(run(10, 4_000)).as("not yet").isEqualTo(4);
        assertThat(run(10, 1_500)).isEqualTo(2);
        assertThat(run(10, 5_500)).isEqualTo(1);
    }

    @Test
    void aHandlerJustInsideTheIntervalNeitherStepsDownNorUp() {
        run(50, 2_500);
        assertThat(run(25, 20_000)).as("between 60 % and 100 % of the interval: hold").isEqualTo(2);
    }

    @Test
    void nothingChangesBeforeTheFrameIntervalIsKnown() {
        for (int i = 0; i < 1000; i++, now += INTERVAL) {
            assertThat(governor.onFrame(TimeUnit.MILLISECONDS.toNanos(500), 0, now)).isEqualTo(1);
        }
    }
}
