package io.fastrtc.credentials;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local stand-in for a credential provider's API on 127.0.0.1: answers every request with the
 * scripted status and body (or not at all, for timeouts) and records what it received.
 */
final class FakeProvider implements AutoCloseable {

    /** One received request. */
    record Request(String method, String path, String query, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile int status = 200;
    private volatile String body = "{}";
    private volatile String contentType = "application/json";
    private volatile boolean hang;
    private volatile Request last;

    FakeProvider() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    FakeProvider answer(int status, String body) {
        this.status = status;
        this.body = body;
        return this;
    }

    FakeProvider contentType(String type) {
        this.contentType = type;
        return this;
    }

    /** Accepts requests but never answers (until closed). */
    FakeProvider hang() {
        this.hang = true;
        return this;
    }

    /** The last request received, or null. */
    Request last() {
        return last;
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new java.util.HashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
        last = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestURI().getRawQuery(), headers,
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (hang) {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        if (release.getCount() == 0) {
            return;
        }
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
