package io.fastrtc.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When a connection's outgoing video steps down and back up, on simulated frame counts and clock. */
class ResolutionGovernorTest {

    private static final long INTERVAL = TimeUnit.MILLISECONDS.toNanos(33);
    private final ResolutionGovernor governor = new ResolutionGovernor();
    private long now = TimeUnit.SECONDS.toNanos(100);
    private long received;
    private long skipped;
    private double owed;

    /**
     * Frames arrive every 33 ms for {@code millis}, {@code skippedShare} of them unprocessed; the
     * governor hears of each processed one. Returns the last scale.
     */
    private double run(double skippedShare, boolean encoderOverused, long millis) {
        double scale = governor.scale();
        for (long end = now + TimeUnit.MILLISECONDS.toNanos(millis); now < end; now += INTERVAL) {
            received++;
            owed += skippedShare;
            if (owed >= 1) {
                owed--;
                skipped++;
            } else {
                scale = governor.onFrame(received, skipped, encoderOverused, now);
            }
        }
        return scale;
    }

    private double run(double skippedShare, long millis) {
        return run(skippedShare, false, millis);
    }

    @Test
    void aConnectionThatKeepsUpStaysAtFullSize() {
        assertThat(run(0.02, 30_000)).isEqualTo(1);
    }

    @Test
    void aShortOverrunDoesNotChangeTheResolution() {
        assertThat(run(0.5, 1_200)).as("one window behind").isEqualTo(1);
        assertThat(run(0, 10_000)).isEqualTo(1);
    }

    @Test
    void aSustainedOverrunStepsDownOneStepPerPeriodToTheLowest() {
        assertThat(run(0.5, 3_100)).isEqualTo(2);
        assertThat(run(0.5, 2_000)).isEqualTo(4);
        assertThat(run(0.5, 10_000)).as("no lower step").isEqualTo(4);
    }

    @Test
    void recoveryStepsBackUpOnlyAfterItLasts() {
        run(0.5, 6_000);
        assertThat(governor.scale()).isEqualTo(4);
        assertThat(run(0, 4_000)).as("not yet").isEqualTo(4);
        assertThat(run(0, 2_000)).isEqualTo(2);
        assertThat(run(0, 5_000)).isEqualTo(1);
    }

    @Test
    void aConnectionJustKeepingUpNeitherStepsDownNorUp() {
        run(0.5, 3_100);
        assertThat(run(0.1, 20_000)).as("between 5 % and 20 % skipped: hold").isEqualTo(2);
    }

    @Test
    void anOverusedEncoderStepsDownAConnectionThatKeepsUpAndHoldsItThere() {
        assertThat(run(0, true, 1_500)).isEqualTo(1);
        assertThat(run(0, true, 1_500)).isEqualTo(2);
        assertThat(run(0, true, 10_000)).as("stays overused").isEqualTo(4);
        assertThat(run(0, false, 6_000)).as("libwebrtc no longer finds it overused").isEqualTo(2);
    }
}
