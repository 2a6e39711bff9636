package io.fastrtc.examples;

import java.time.Clock;
import java.time.LocalTime;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A chat model that runs anywhere: a few keyword rules (greetings, the weather, the time, its
 * name, thanks, goodbye) and an honest fallback. Enough to demonstrate a voice loop offline.
 */
public final class RuleBasedChatModel implements ChatModel {

    private record Rule(Pattern when, Function<String, String> answer) {
        Rule(String regex, Function<String, String> answer) {
            this(Pattern.compile("\\b(" + regex + ")\\b"), answer);
        }
    }

    private final Clock clock;
    private final List<Rule> rules;

    public RuleBasedChatModel() {
        this(Clock.systemDefaultZone());
    }

    /** Tells the time of {@code clock}. */
    public RuleBasedChatModel(Clock clock) {
        this.clock = clock;
        rules = List.of(
                new Rule("weather|rain|sunny|temperature",
                        said -> "I cannot look outside, but I hope it is sunny where you are."),
                new Rule("time|clock", said -> "It is " + time() + "."),
                new Rule("your name|who are you|what are you",
                        said -> "I am a voice assistant, made with FastRTC for Java."),
                new Rule("thanks|thank you", said -> "You are welcome."),
                new Rule("bye|goodbye", said -> "Goodbye. Talk to you soon."),
                new Rule("hello|hi|hey", said -> "Hello! Ask me about the weather, or the time."));
    }

    @Override
    public String reply(List<Message> history) {
        String said = history.isEmpty() ? "" : history.get(history.size() - 1).content().toLowerCase(Locale.ROOT);
        for (Rule rule : rules) {
            if (rule.when().matcher(said).find()) {
                return rule.answer().apply(said);
            }
        }
        return said.isBlank() ? "Sorry, I did not catch that."
                : "You said: " + said + ". I only know about the weather and the time.";
    }

    /** The time in words a speech synthesiser reads well, e.g. "3 15 in the afternoon". */
    private String time() {
        LocalTime now = LocalTime.now(clock);
        int hour = now.getHour() % 12 == 0 ? 12 : now.getHour() % 12;
        int minute = now.getMinute();
        String minutes = minute == 0 ? "o'clock" : minute < 10 ? "oh " + minute : String.valueOf(minute);
        String part = now.getHour() < 12 ? "in the morning" : now.getHour() < 18 ? "in the afternoon"
                : "in the evening";
        return hour + " " + minutes + " " + part;
    }
}
