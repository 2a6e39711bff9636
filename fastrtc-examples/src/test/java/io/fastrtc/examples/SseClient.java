package io.fastrtc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** Reads a server-sent-event response line by line in the background. */
final class SseClient implements AutoCloseable {

    final HttpResponse<Stream<String>> response;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    /** Completes when the server ends the response. */
    final CompletableFuture<Void> ended;

    SseClient(String url) throws Exception {
        response = ExampleApp.HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofLines());
        ended = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                response.body().forEach(lines::add);
                ended.complete(null);
            } catch (RuntimeException e) {
                ended.completeExceptionally(e);
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** The {@code data} of every {@code output} event so far, parsed; checks the event framing on the way. */
    List<JsonNode> outputs() throws Exception {
        List<String> seen = List.copyOf(lines);
        List<JsonNode> outputs = new ArrayList<>();
        for (int i = 0; i + 2 < seen.size(); i++) {
            if (seen.get(i).equals("event: output")) {
                assertThat(seen.get(i + 1)).startsWith("data: ");
                assertThat(seen.get(i + 2)).as("blank line ending the event").isEmpty();
                outputs.add(ExampleApp.json(seen.get(i + 1).substring("data: ".length())));
            }
        }
        return outputs;
    }

    /** The latest output's first value, or null before the first. */
    JsonNode lastReading() throws Exception {
        List<JsonNode> all = outputs();
        return all.isEmpty() ? null : all.get(all.size() - 1).get(0);
    }

    @Override
    public void close() {
        response.body().close();
    }
}
