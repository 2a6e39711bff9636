package io.fastrtc.turn.smartturn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The features against {@code whisper-reference.txt}, computed independently with numpy by
 * {@code scripts/whisper_reference.py}, and against the values in the project's Smart Turn notes
 * (computed with Pipecat's vendored copy of the transformers extractor).
 */
class WhisperFeaturesTest {

    /**
     * Per value (measured: within 5e-9, the reference's printed precision, i.e. the same float32);
     * sums of n values get n times {@link #SUMMED_TOLERANCE}.
     */
    private static final double VALUE_TOLERANCE = 1e-5;
    private static final double SUMMED_TOLERANCE = 1e-6;

    private static Map<String, double[]> reference;

    @BeforeAll
    static void readReference() throws IOException {
        reference = new HashMap<>();
        try (InputStream in = WhisperFeaturesTest.class.getResourceAsStream("whisper-reference.txt");
                BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String currentCase = "";
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String[] words = line.split(" ");
                if (line.startsWith("#")) {
                    continue;
                } else if (words[0].equals("case")) {
                    currentCase = words[1] + ".";
                } else if (words[0].equals("filterbank")) {
                    reference.put("filterbank", new double[] {Double.parseDouble(words[2]),
                            Double.parseDouble(words[4]), Double.parseDouble(words[6]), Double.parseDouble(words[7])});
                } else {
                    double[] values = Arrays.stream(words, 1, words.length).mapToDouble(Double::parseDouble).toArray();
                    reference.put(currentCase + words[0], values);
                }
            }
        }
    }

    private static double[] ref(String key) {
        assertThat(reference).containsKey(key);
        return reference.get(key);
    }

    @Test
    void filterbankIsSlaneysAsInTheReference() {
        double[][] bank = WhisperFeatures.filterbank();
        assertThat(bank.length).isEqualTo(201);
        assertThat(bank[0].length).isEqualTo(80);
        double sum = 0;
        double max = 0;
        int maxBin = -1;
        int maxFilter = -1;
        double[] columns = new double[80];
        for (int k = 0; k < 201; k++) {
            for (int m = 0; m < 80; m++) {
                sum += bank[k][m];
                columns[m] += bank[k][m];
                if (bank[k][m] > max) {
                    max = bank[k][m];
                    maxBin = k;
                    maxFilter = m;
                }
            }
        }
        double[] expected = ref("filterbank");
        assertThat(sum).isCloseTo(expected[0], within(1e-7));
        assertThat(max).isCloseTo(expected[1], within(1e-9));
        assertThat(new int[] {maxBin, maxFilter}).containsExactly((int) expected[2], (int) expected[3]);
        assertThat(sum).isCloseTo(1.99902410, within(1e-8)); // the project's notes
        double[] expectedColumns = ref("filterbank-columns");
        for (int m = 0; m < 80; m++) {
            assertThat(columns[m]).as("filter %d", m).isCloseTo(expectedColumns[m], within(1e-8));
        }
    }

    @Test
    void everyCaseMatchesNumpy() {
        for (String name : TestSignals.NAMES) {
            float[] features = WhisperFeatures.extract(TestSignals.signal(name));
            assertThat(features).as(name).hasSize(80 * 800);
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            double[] rows = new double[80];
            double[] columns = new double[800];
            for (int m = 0; m < 80; m++) {
                for (int t = 0; t < 800; t++) {
                    double v = features[m * 800 + t];
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    sum += v;
                    rows[m] += v;
                    columns[t] += v;
                }
            }
            double[] stats = ref(name + ".stats");
            assertThat(min).as(name + " min").isCloseTo(stats[0], within(VALUE_TOLERANCE));
            assertThat(max).as(name + " max").isCloseTo(stats[1], within(VALUE_TOLERANCE));
            assertThat(sum / features.length).as(name + " mean").isCloseTo(stats[2], within(VALUE_TOLERANCE));
            assertThat(sum).as(name + " sum").isCloseTo(stats[3], within(64000 * SUMMED_TOLERANCE));
            double[] expectedRows = ref(name + ".rows");
            for (int m = 0; m < 80; m++) {
                assertThat(rows[m]).as("%s row %d", name, m).isCloseTo(expectedRows[m], within(800 * SUMMED_TOLERANCE));
            }
            double[] expectedColumns = ref(name + ".columns");
            for (int t = 0; t < 800; t++) {
                assertThat(columns[t]).as("%s frame %d", name, t)
                        .isCloseTo(expectedColumns[t], within(80 * SUMMED_TOLERANCE));
            }
            double[] sampled = ref(name + ".every61");
            assertThat(sampled).hasSize((64000 + 60) / 61);
            for (int i = 0; i < sampled.length; i++) {
                int at = i * 61;
                assertThat((double) features[at]).as("%s [%d][%d]", name, at / 800, at % 800)
                        .isCloseTo(sampled[i], within(VALUE_TOLERANCE));
            }
        }
    }

    @Test
    void matchesTheValuesInTheProjectsSmartTurnNotes() {
        float[] f = WhisperFeatures.extract(TestSignals.signal("sine440_1s"));
        assertThat(f[0]).isCloseTo(-0.110252f, within(2e-6f));
        assertThat(f[799]).isCloseTo(0.929244f, within(2e-6f));
        assertThat(f[10 * 800 + 799]).isCloseTo(1.801980f, within(2e-6f));
        assertThat(f[40 * 800 + 700]).isCloseTo(0.719214f, within(2e-6f));
    }

    @Test
    void onlyTheLastEightSecondsCountAndShortTurnsArePaddedInFront() {
        float[] tenSeconds = TestSignals.signal("voiced_10s");
        float[] lastEight = Arrays.copyOfRange(tenSeconds, 2 * 16000, tenSeconds.length);
        assertThat(WhisperFeatures.extract(tenSeconds)).containsExactly(WhisperFeatures.extract(lastEight));

        float[] sine = TestSignals.signal("sine440_1s");
        float[] window = WhisperFeatures.lastEightSeconds(sine);
        assertThat(window).hasSize(128000);
        assertThat(Arrays.copyOfRange(window, 0, 112000)).containsOnly(0f);
        assertThat(Arrays.copyOfRange(window, 112000, 128000)).containsExactly(sine);
        // The sine sits in the last second: the last frames hold its energy, the first the padding's.
        float[] f = WhisperFeatures.extract(sine);
        assertThat(f[10 * 800 + 790]).isGreaterThan(f[10 * 800 + 10] + 1);
    }

    @Test
    void silenceAndAnEmptyTurnGiveTheFloorEverywhere() {
        assertThat(WhisperFeatures.extract(new float[0])).containsOnly(-1.5f);
        assertThat(WhisperFeatures.extract(new float[3 * 16000])).containsOnly(-1.5f);
    }

    @Test
    void theInputIsNotModified() {
        float[] sine = TestSignals.signal("sine440_1s");
        float[] copy = sine.clone();
        WhisperFeatures.extract(sine);
        float[] eightSeconds = TestSignals.signal("voiced_10s");
        float[] last = Arrays.copyOfRange(eightSeconds, 32000, eightSeconds.length);
        float[] lastCopy = last.clone();
        WhisperFeatures.extract(last);
        assertThat(sine).containsExactly(copy);
        assertThat(last).containsExactly(lastCopy);
    }
}
