package io.fastrtc.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SpokenTextTest {

    private static SpokenText twoSentences() {
        SpokenText spoken = new SpokenText();
        spoken.add("It is three.", Duration.ZERO, Duration.ofMillis(1000));
        spoken.add("The sun sets at six tonight.", Duration.ofMillis(200), Duration.ofMillis(2000));
        return spoken;
    }

    @Test
    void theSentencesHeardToTheEndAndAWordCutOfTheOnePlaying() {
        SpokenText spoken = twoSentences();
        assertThat(spoken.duration()).isEqualTo(Duration.ofMillis(3200));
        assertThat(spoken.all()).isEqualTo("It is three. The sun sets at six tonight.");
        assertThat(spoken.heard(Duration.ZERO)).isEmpty();
        assertThat(spoken.heard(Duration.ofMillis(500))).isEqualTo("It is"); // 6 of 12 characters
        assertThat(spoken.heard(Duration.ofMillis(1000))).isEqualTo("It is three.");
        assertThat(spoken.heard(Duration.ofMillis(1150))).as("during the pause").isEqualTo("It is three.");
        assertThat(spoken.heard(Duration.ofMillis(1200 + 1000))).isEqualTo("It is three. The sun sets"); // 14 of 28
        assertThat(spoken.heard(Duration.ofMillis(3200))).isEqualTo(spoken.all());
        assertThat(spoken.heard(Duration.ofSeconds(60))).isEqualTo(spoken.all());
    }

    @Test
    void aWordIsKeptOnlyOnceItsLastLetterWasHeard() {
        assertThat(SpokenText.wordsWithin("one two three", 0.2)).isEmpty(); // limit 2 characters
        assertThat(SpokenText.wordsWithin("one two three", 0.24)).isEqualTo("one"); // limit 3
        assertThat(SpokenText.wordsWithin("one two three", 0.99)).isEqualTo("one two");
        assertThat(SpokenText.wordsWithin("one two three", 1)).isEqualTo("one two three");
    }
}
