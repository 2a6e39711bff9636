package io.fastrtc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The capacity estimate alone, driven by an injected CPU reading. */
class CapacityTest {

    private double share;
    private final Capacity cpu = Capacity.cpu(0.5, () -> share);

    @Test
    void unlimitedAdmitsAnyNumberAndFixedCountsTheProcess() {
        assertThat(Capacity.UNLIMITED.admits(10_000)).isTrue();
        Capacity two = Capacity.fixed(2);
        assertThat(two.admits(0)).isTrue();
        assertThat(two.admits(1)).isTrue();
        assertThat(two.admits(2)).isFalse();
    }

    @Test
    void valuesAreCheckedWithTheFix() {
        assertThatThrownBy(() -> Capacity.fixed(0)).hasMessageContaining("at least 1 stream; got 0");
        assertThatThrownBy(() -> Capacity.cpu(0)).hasMessageContaining("above 0 and at most 1 (0.8 = 80 %); got 0.0");
        assertThatThrownBy(() -> Capacity.cpu(1.5)).hasMessageContaining("got 1.5");
        assertThatThrownBy(() -> Capacity.cpu(Double.NaN)).hasMessageContaining("got NaN");
    }

    @Test
    void theFirstStreamIsAlwaysAdmittedAndTheNextOnlyOnceACostIsKnown() {
        assertThat(cpu.admits(0)).as("the first stream").isTrue();
        assertThat(cpu.admits(1)).as("nothing measured yet").isFalse();
        share = 0.9;
        cpu.sample(0);
        assertThat(cpu.perStreamShare()).as("no stream to divide by").isNaN();
        share = 0.05;
        cpu.sample(1);
        assertThat(cpu.perStreamShare()).as("the stream started during the window").isNaN();
        assertThat(cpu.admits(1)).isFalse();
        share = 0.1;
        cpu.sample(1);
        assertThat(cpu.perStreamShare()).as("a whole window of one stream").isEqualTo(0.1);
        assertThat(cpu.admits(1)).as("0.1 + 0.1").isTrue();
        share = 0.9;
        cpu.sample(1);
        assertThat(cpu.admits(1)).isFalse();
        assertThat(cpu.admits(0)).as("the first stream").isTrue();
    }

    @Test
    void refusesTheStreamThatWouldPassTheShare() {
        share = 0.25;
        cpu.sample(2);
        cpu.sample(2);
        assertThat(cpu.perStreamShare()).isEqualTo(0.125);
        assertThat(cpu.admits(2)).as("0.25 + 0.125").isTrue();
        assertThat(cpu.admits(3)).as("one admitted since: 0.25 + 2 x 0.125").isTrue();
        assertThat(cpu.admits(4)).as("two admitted since: 0.25 + 3 x 0.125").isFalse();
        share = 0.375;
        cpu.sample(3);
        assertThat(cpu.perStreamShare()).as("learnt only from steady windows").isEqualTo(0.125);
        assertThat(cpu.admits(3)).as("0.375 + 0.125").isTrue();
        assertThat(cpu.admits(4)).isFalse();
    }

    @Test
    void otherProcessesLoadCountsAgainstTheRoomButNotTheCost() {
        double[] machine = {0.3};
        Capacity shared = Capacity.cpu(0.5, () -> share, () -> machine[0]);
        share = 0.1;
        shared.sample(1);
        shared.sample(1);
        assertThat(shared.perStreamShare()).as("the process's own cost").isEqualTo(0.1);
        assertThat(shared.admits(1)).as("0.3 + 0.1").isTrue();
        machine[0] = 0.45;
        shared.sample(1);
        assertThat(shared.admits(1)).as("0.45 + 0.1").isFalse();
    }

    @Test
    void thePerStreamCostIsSmoothed() {
        share = 0.2;
        cpu.sample(1);
        cpu.sample(1);
        share = 0.6;
        cpu.sample(1);
        assertThat(cpu.perStreamShare()).as("0.2 + 0.3 x (0.6 - 0.2)").isCloseTo(0.32, org.assertj.core.data.Offset.offset(1e-9));
        share = Double.NaN;
        cpu.sample(1);
        assertThat(cpu.perStreamShare()).as("an unreadable sample changes nothing").isCloseTo(0.32,
                org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void theProcessCpuReadingIsAShareOfAllCores() {
        Capacity.ProcessCpu reading = new Capacity.ProcessCpu();
        long end = System.nanoTime() + 600_000_000L;
        double sum = 0;
        while (System.nanoTime() < end) {
            sum += Math.sqrt(sum + 1); // burn CPU so the window has some
        }
        assertThat(sum).isPositive();
        assertThat(reading.getAsDouble()).isGreaterThan(0).isLessThanOrEqualTo(1.0);
        assertThat(reading.getAsDouble()).as("a second timer's reading right after: no new window").isNaN();
    }
}
