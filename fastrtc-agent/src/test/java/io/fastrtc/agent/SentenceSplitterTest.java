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
        // "Pi is 3.14 or so." is complete once the space of the next token arrives, not before.
        assertThat(out.get(ModelTiming.tokens("Pi is 3.14 or so.").size() - 1)).isEmpty();
        assertThat(out.get(ModelTiming.tokens("Pi is 3.14 or so.").size())).containsExactly("Pi is 3.14 or so.");
        assertThat(splitter.finish()).containsExactly("Good");
        assertThat(splitter.finish()).isEmpty();
    }

    @Test
    void lineBreaksEndSentencesAndBlankOnesAreDropped() {
        SentenceSplitter splitter = new SentenceSplitter();
        assertThat(splitter.add("First line\n\n  Second")).containsExactly("First line");
        assertThat(splitter.add(" line.  ")).containsExactly("Second line.");
        assertThat(splitter.finish()).isEmpty();
    }
}
