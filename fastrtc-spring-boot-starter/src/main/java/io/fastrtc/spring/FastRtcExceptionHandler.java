package io.fastrtc.spring;

import io.fastrtc.handler.InvalidInputException;
import io.fastrtc.security.AccessDenied;
import io.fastrtc.stream.UnknownConnectionException;
import io.fastrtc.transport.HttpReply;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The application's own controllers answer what the stream's {@code Caller} throws as
 * {@code FastRtcPlugin} does on Javalin: {@link InvalidInputException} with 422 and the
 * component's message, {@link AccessDenied} with its status, {@link UnknownConnectionException}
 * with 404. The starter registers it in a servlet web application.
 */
@RestControllerAdvice
public class FastRtcExceptionHandler {

    @ExceptionHandler(InvalidInputException.class)
    public ResponseEntity<String> invalidInput(InvalidInputException e) {
        return reply(HttpReply.invalidInput(e.getMessage()));
    }

    @ExceptionHandler(AccessDenied.class)
    public ResponseEntity<String> accessDenied(AccessDenied e) {
        return reply(HttpReply.error(e));
    }

    @ExceptionHandler(UnknownConnectionException.class)
    public ResponseEntity<String> unknownConnection(UnknownConnectionException e) {
        return reply(HttpReply.error(404, "unknown_connection", e.getMessage()));
    }

    private static ResponseEntity<String> reply(HttpReply reply) {
        ResponseEntity.BodyBuilder b = ResponseEntity.status(reply.status())
                .contentType(MediaType.parseMediaType(reply.contentType()));
        reply.headers().forEach((name, value) -> b.header(name, value));
        return b.body(reply.body());
    }
}
