package io.fastrtc.handler;

/**
 * A value a component or {@code setInput} refuses; its message names the component, the bad value
 * and what is allowed, and is meant for the client. The adapters answer it with HTTP 422
 * {@code {"error":"invalid_input","message":...}}, in the library's routes and in the application's
 * own (Javalin: registered by {@code FastRtcPlugin}; Spring: by the starter).
 */
public class InvalidInputException extends IllegalArgumentException {

    public InvalidInputException(String message) {
        super(message);
    }
}
