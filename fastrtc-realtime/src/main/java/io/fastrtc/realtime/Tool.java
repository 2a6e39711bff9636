package io.fastrtc.realtime;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A function the realtime model may call during a conversation (OpenAI's function tools, Gemini's
 * function declarations). When the model calls it, the bridge runs {@link Function#call} off the
 * audio threads and sends what it returns back to the model, which then answers with it.
 *
 * @param name        the name the model calls it by ({@code [A-Za-z0-9_-]}, at most 64 characters)
 * @param description what it does, for the model
 * @param parameters  a JSON Schema object describing the arguments, e.g.
 *                    {@code {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}
 * @param function    the Java code to run
 */
public record Tool(String name, String description, String parameters, Function function) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String NO_PARAMETERS = "{\"type\":\"object\",\"properties\":{}}";

    /** The Java side of a tool. */
    @FunctionalInterface
    public interface Function {
        /**
         * Runs the tool.
         *
         * @param arguments the model's arguments, a JSON object as text
         * @return the result for the model: JSON or plain text
         * @throws Exception to tell the model the call failed (it is told the exception's class only)
         */
        String call(String arguments) throws Exception;
    }

    public Tool {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a tool name is 1 to 64 letters, digits, '_' or '-'; got \"" + name + "\"");
        }
        description = description == null ? "" : description;
        parameters = parameters == null || parameters.isBlank() ? NO_PARAMETERS : parameters;
        if (!Json.isObject(parameters)) {
            throw new IllegalArgumentException("the parameters of tool " + name + " must be a JSON Schema object "
                    + "such as " + NO_PARAMETERS + "; got " + parameters);
        }
        Objects.requireNonNull(function, "function");
    }

    public static Tool of(String name, String description, String parameters, Function function) {
        return new Tool(name, description, parameters, function);
    }

    /** A tool without arguments. */
    public static Tool of(String name, String description, Function function) {
        return new Tool(name, description, null, function);
    }
}
