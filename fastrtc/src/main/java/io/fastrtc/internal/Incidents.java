package io.fastrtc.internal;

import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;

/**
 * Short ids for unexpected failures: the client is told only the id, the log has it next to the
 * stack trace, so a user's report leads to the log line while the client learns nothing about the
 * server.
 */
public final class Incidents {

    private Incidents() {
    }

    /** A new id, 8 hex digits. */
    public static String newId() {
        return String.format("%08x", ThreadLocalRandom.current().nextInt());
    }

    /** The message a client gets for the failure {@code id}: what failed, generically, and the id. */
    public static String message(String what, String id) {
        return what + " (error id " + id + ")";
    }

    /**
     * An unexpected failure: logs {@code context} and the stack trace with a new id, and returns the
     * client's {@link #message} for it, which says {@code what} failed and nothing more.
     */
    public static String logged(Logger log, String context, String what, Throwable failure) {
        String id = newId();
        log.error("{} [error id {}]", context, id, failure);
        return message(what, id);
    }
}
