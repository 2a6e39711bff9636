package io.fastrtc.ui;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A conversation, Gradio's {@code Chatbot(type="messages")}: a list of {@link Message}s. Use it as an
 * additional output (and, to keep the history across turns, as an additional input too: the same
 * instance in both lists is shown once and its current value is sent back as the input).
 */
public record Chatbot(String label, List<Message> value) implements Component {

    /** One message; {@code role} is {@code "user"}, {@code "assistant"} or {@code "system"}. */
    public record Message(String role, String content) {
        public Message {
            if (!List.of("user", "assistant", "system").contains(role)) {
                throw new IllegalArgumentException("a chat message's role is \"user\", \"assistant\" or \"system\"; got "
                        + (role == null ? "null" : "\"" + role + "\""));
            }
            content = content == null ? "" : content;
        }

        public static Message user(String content) {
            return new Message("user", content);
        }

        public static Message assistant(String content) {
            return new Message("assistant", content);
        }
    }

    public Chatbot {
        value = value == null ? List.of() : List.copyOf(value);
    }

    public static Chatbot of(String label) {
        return new Chatbot(label, List.of());
    }

    /** {@code history} (a chatbot value) followed by {@code messages}, as a new list. */
    public static List<Message> append(Object history, Message... messages) {
        List<Message> all = new ArrayList<>(messages(history));
        Collections.addAll(all, messages);
        return all;
    }

    @Override
    public String type() {
        return "chatbot";
    }

    @Override
    public Object defaultValue() {
        return value;
    }

    /** Accepts messages or maps with {@code role} and {@code content} (as the page sends them). */
    @Override
    public Object coerce(Object v) {
        try {
            return messages(v);
        } catch (IllegalArgumentException e) {
            throw Component.invalid(this, v, "a list of {role, content} messages");
        }
    }

    @Override
    public Object toClient(Object v) {
        return messages(v);
    }

    private static List<Message> messages(Object v) {
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException("not a list: " + v);
        }
        List<Message> out = new ArrayList<>(list.size());
        for (Object item : list) {
            if (item instanceof Message m) {
                out.add(m);
            } else if (item instanceof Map<?, ?> map && map.get("role") instanceof String role) {
                out.add(new Message(role, Objects.toString(map.get("content"), "")));
            } else {
                throw new IllegalArgumentException("not a message: " + item);
            }
        }
        return List.copyOf(out);
    }

    @Override
    public Map<String, Object> describe() {
        return Values.describe(this);
    }
}
