package io.fastrtc.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceSplitterTest {

    @Test
    void sentencesComeOutAsSoonAsTheyAreComplete() {
        SentenceSplitter splitter = new SentenceSplitter();
        List<List<String>> out = new ArrayList<>();
        for (String piece : ModelTiming.tokens("Pi is 3.14 or so. Really? Yes! Good")) {
            out.add(splitter.add(piece));
        }
        List<String> all = out.stream().flatMap(List::stream).toList();
        assertThat(all).containsExactly("Pi is 3.14 or so.", "Really?", "Yes!");
        // "Pi is 3.14 or so." is complete with its own last token, not when the next one's space comes.
        int end = ModelTiming.tokens("Pi is 3.14 or so.").size() - 1;
        assertThat(out.get(end)).containsExactly("Pi is 3.14 or so.");
        assertThat(out.subList(0, end)).allSatisfy(sentences -> assertThat(sentences).isEmpty());
        assertThat(out.get(end + 1)).isEmpty();
        assertThat(splitter.finish()).containsExactly("Good");
        assertThat(splitter.finish()).isEmpty();
    }

    @Test
    void aNumberOrAnAbbreviationWaitsForTheNextPiece() {
        SentenceSplitter splitter = new SentenceSplitter();
        assertThat(splitter.add("It costs 3.")).isEmpty(); // "3.5" or the end?
        assertThat(splitter.add("5 euros, e.")).isEmpty();
        assertThat(splitter.add("g.")).isEmpty();
        assertThat(splitter.finish()).containsExactly("It costs 3.5 euros, e.g.");
    }

    @Test
    void punctuationLeftOverIsNoSentence() {
        SentenceSplitter splitter = new SentenceSplitter();
        List<String> all = new ArrayList<>();
        for (String piece : ModelTiming.tokens("Really?! Well... fine.")) {
            all.addAll(splitter.add(piece));
        }
        all.addAll(splitter.finish());
        assertThat(all).containsExactly("Really?", "Well.", "fine.");
    }

    @Test
    void lineBreaksEndSentencesAndBlankOnesAreDropped() {
        SentenceSplitter splitter = new SentenceSplitter();
        assertThat(splitter.add("First line\n\n  Second")).containsExactly("First line");
        assertThat(splitter.add(" line.  ")).containsExactly("Second line.");
        assertThat(splitter.finish()).isEmpty();
    }
}
