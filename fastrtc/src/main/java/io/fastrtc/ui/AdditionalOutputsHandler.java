package io.fastrtc.ui;

import io.fastrtc.handler.AdditionalOutputs;
import java.util.List;

/**
 * Turns a handler's {@link AdditionalOutputs} into the new values of the web UI's output
 * components (FastRTC's {@code additional_outputs_handler}). It runs on the server, once per
 * output, for each open page. Without one, output {@code i} becomes the value of component {@code i}.
 *
 * <pre>{@code
 * // The handler emits one new chat message at a time; the chatbot keeps the whole conversation.
 * UiOptions.builder().outputsHandler((current, outputs) ->
 *         List.of(Chatbot.append(current.get(0), (Chatbot.Message) outputs.get(0))))
 * }</pre>
 */
@FunctionalInterface
public interface AdditionalOutputsHandler {

    /**
     * @param current the values the output components show now (their defaults at first), in order
     * @param outputs what the handler emitted
     * @return one new value per output component, in order
     */
    List<?> apply(List<Object> current, AdditionalOutputs outputs) throws Exception;
}
