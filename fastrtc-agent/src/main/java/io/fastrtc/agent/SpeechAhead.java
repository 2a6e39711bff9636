package io.fastrtc.agent;

import io.fastrtc.internal.Threads;
import io.fastrtc.speech.LiveSpeech;
import io.fastrtc.speech.TextToSpeech;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * The {@link LiveSpeech} of an answer's next sentence, opened ahead on its own thread while the
 * model writes that sentence or the one before it is spoken. A service that connects per reply
 * (ElevenLabs: TLS and a WebSocket handshake, often 100 to 300 ms) then speaks the sentence as soon
 * as its text comes, instead of connecting first. At most one waits; one that no sentence takes is
 * closed with the answer, at once or as soon as it has opened, so an interrupted answer releases it
 * too. Used by the reply's own thread only.
 */
final class SpeechAhead implements AutoCloseable {

    private static final Executor OPENER = Threads.perTask("fastrtc-agent-tts");

    private final TextToSpeech tts;
    private CompletableFuture<LiveSpeech> pending;

    SpeechAhead(TextToSpeech tts) {
        this.tts = tts;
    }

    /** Starts opening the next sentence's speech if {@code needed}, unless one is opening or open already. */
    void openIf(boolean needed) {
        if (needed && pending == null) {
            pending = CompletableFuture.supplyAsync(tts::live, OPENER);
        }
    }

    /**
     * The speech opened ahead, once it is open; a new one if none was. A failure to open is thrown
     * as {@link TextToSpeech#live()} threw it.
     */
    LiveSpeech take() throws InterruptedException {
        CompletableFuture<LiveSpeech> opening = pending;
        pending = null;
        if (opening == null) {
            return tts.live();
        }
        try {
            return opening.get();
        } catch (InterruptedException e) {
            discard(opening);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Closes the speech that waits, if any (once it has opened, if it is still opening). */
    @Override
    public void close() {
        if (pending != null) {
            discard(pending);
            pending = null;
        }
    }

    private static void discard(CompletableFuture<LiveSpeech> opening) {
        opening.thenAccept(LiveSpeech::close);
    }
}
