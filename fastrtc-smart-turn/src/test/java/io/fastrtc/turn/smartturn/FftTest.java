package io.fastrtc.turn.smartturn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The mixed-radix FFT against the definition of the DFT. */
class FftTest {

    @Test
    void matchesTheDefinitionForWhispersFrameAndOtherMixedSizes() {
        Random random = new Random(1);
        for (int size : new int[] {1, 2, 3, 5, 12, 49, 60, 400}) {
            double[] re = new double[size];
            double[] im = new double[size];
            for (int i = 0; i < size; i++) {
                re[i] = random.nextGaussian();
                im[i] = random.nextGaussian();
            }
            double[] outRe = new double[size];
            double[] outIm = new double[size];
            new Fft(size).transform(re, im, outRe, outIm);
            for (int k = 0; k < size; k++) {
                double sumRe = 0;
                double sumIm = 0;
                for (int n = 0; n < size; n++) {
                    double angle = -2 * Math.PI * ((long) k * n % size) / size;
                    sumRe += re[n] * Math.cos(angle) - im[n] * Math.sin(angle);
                    sumIm += re[n] * Math.sin(angle) + im[n] * Math.cos(angle);
                }
                assertThat(outRe[k]).as("size %d bin %d (re)", size, k).isCloseTo(sumRe, within(1e-9));
                assertThat(outIm[k]).as("size %d bin %d (im)", size, k).isCloseTo(sumIm, within(1e-9));
            }
        }
    }

    @Test
    void aPureToneLandsInItsBin() {
        double[] re = new double[400];
        for (int n = 0; n < 400; n++) {
            re[n] = Math.cos(2 * Math.PI * 11 * n / 400);
        }
        double[] outRe = new double[400];
        double[] outIm = new double[400];
        new Fft(400).transform(re, new double[400], outRe, outIm);
        assertThat(outRe[11]).isCloseTo(200, within(1e-9));
        assertThat(outRe[389]).isCloseTo(200, within(1e-9));
        assertThat(Math.hypot(outRe[12], outIm[12])).isCloseTo(0, within(1e-9));
    }

    @Test
    void refusesSizesWithLargePrimeFactors() {
        assertThatThrownBy(() -> new Fft(22)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("above 7");
        assertThatThrownBy(() -> new Fft(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
    }
}
