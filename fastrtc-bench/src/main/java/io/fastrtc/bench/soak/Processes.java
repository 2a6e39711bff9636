package io.fastrtc.bench.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Ending the server processes benchmarks start. */
public final class Processes {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private Processes() {
    }

    /**
     * Asks a server to exit with {@code POST stopUri} (unless null; a wrapper such as a profiler may
     * not pass signals on), waits up to {@code grace}, then signals it, then kills it.
     */
    public static void stop(Process process, URI stopUri, Duration grace) {
        try {
            if (stopUri != null && process.isAlive()) {
                try {
                    HTTP.send(HttpRequest.newBuilder(stopUri).timeout(Duration.ofSeconds(5))
                            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
                } catch (IOException e) {
                    // not answering: the signals below will do
                }
            }
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(grace.toMillis() / 2, TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
