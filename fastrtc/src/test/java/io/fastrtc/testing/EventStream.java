package io.fastrtc.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A server-sent events client, as a page reads the web UI's {@code outputs} feed. */
public final class EventStream implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** What the reader thread queues when the stream ends. */
    private static final Event END = new Event("", "");

    /** One event: its name ({@code message} when unnamed) and data. */
    public record Event(String name, String data) {
    }

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<Event> received = new CopyOnWriteArrayList<>();
    private volatile boolean ended;
    private volatile boolean endedCleanly;

    private EventStream(HttpResponse<InputStream> response) {
        this.response = response;
        Thread reader = new Thread(this::read, "test-event-stream");
        reader.setDaemon(true);
        reader.start();
    }

    public static EventStream open(String url) throws IOException, InterruptedException {
        return new EventStream(HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream()));
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String name = "message";
            StringBuilder data = new StringBuilder();
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        Event e = new Event(name, data.toString());
                        received.add(e);
                        events.add(e);
                    }
                    name = "message";
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).stripLeading());
                }
            }
            endedCleanly = true;
        } catch (IOException e) {
            // closed by us or by the server: the stream has ended either way
        } finally {
            ended = true;
            events.add(END);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    public java.util.Optional<String> header(String name) {
        return response.headers().firstValue(name);
    }

    /** The next event, or null if none came in time or the stream ended. */
    public Event next(Duration timeout) throws InterruptedException {
        Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (e == END) {
            events.add(END);
            return null;
        }
        return e;
    }

    /** The data of the next {@code output} event as JSON, skipping others; null on timeout or end. */
    public JsonNode nextOutput(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Event e; (e = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) != null; ) {
            if (e.name().equals("output")) {
                return JSON.readTree(e.data());
            }
        }
        return null;
    }

    /** The data of every {@code output} event received so far, as JSON (whatever {@link #next} has consumed). */
    public List<JsonNode> outputs() throws IOException {
        List<JsonNode> outputs = new ArrayList<>();
        for (Event e : received) {
            if (e.name().equals("output")) {
                outputs.add(JSON.readTree(e.data()));
            }
        }
        return outputs;
    }

    /** The latest output's first value, or null before the first output. */
    public JsonNode lastReading() throws IOException {
        List<JsonNode> all = outputs();
        return all.isEmpty() ? null : all.get(all.size() - 1).get(0);
    }

    /** True once the stream has ended, by the server or by an error. */
    public boolean ended() {
        return ended;
    }

    /** True once the server has ended the response cleanly (not by an error). */
    public boolean endedCleanly() {
        return endedCleanly;
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
