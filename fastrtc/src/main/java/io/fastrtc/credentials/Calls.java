package io.fastrtc.credentials;

import io.fastrtc.ice.RtcConfiguration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/** The HTTP call every provider makes: send, check the status (FastRTC's sync Cloudflare helper did not), read the configuration. */
final class Calls {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final int EXCERPT = 200;

    private Calls() {
    }

    /** One client for all providers; per-request timeouts cover connecting too. */
    private static final class Client {
        static final HttpClient INSTANCE = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    }

    static HttpRequest.Builder request(String url, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("Accept", "application/json");
    }

    /**
     * Sends {@code request} and reads a 2xx answer with {@code reader}, which throws
     * {@link IllegalArgumentException} for an answer of the wrong shape.
     *
     * @param credentialHint what to check when the provider refuses the credentials (401/403)
     */
    static CompletableFuture<RtcConfiguration> fetch(String provider, HttpRequest request, String credentialHint,
                                                     Function<String, RtcConfiguration> reader) {
        String target = request.method() + " " + request.uri();
        return Client.INSTANCE.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
            if (error != null) {
                throw unreachable(provider, target, request.timeout().orElse(null), unwrap(error));
            }
            int status = response.statusCode();
            String body = Objects.requireNonNullElse(response.body(), "");
            if (status < 200 || status > 299) {
                String hint = status == 401 || status == 403 ? "; check " + credentialHint : "";
                throw new TurnCredentialsException(provider + " refused " + target + ": HTTP " + status
                        + excerpt(body) + hint, status, null);
            }
            try {
                return reader.apply(body);
            } catch (IllegalArgumentException e) {
                // A successful body holds credentials: describe it, never quote it.
                throw new TurnCredentialsException(provider + " answered " + target + " with HTTP " + status
                        + ", but " + e.getMessage() + " (" + body.length() + " characters, Content-Type "
                        + response.headers().firstValue("Content-Type").orElse("missing") + ")", status, e);
            }
        });
    }

    private static TurnCredentialsException unreachable(String provider, String target, Duration timeout,
                                                        Throwable error) {
        if (error instanceof HttpTimeoutException && timeout != null) {
            return new TurnCredentialsException("no answer from " + provider + " (" + target + ") within "
                    + timeout.toMillis() + " ms", 0, error);
        }
        return new TurnCredentialsException("could not reach " + provider + " (" + target + "): " + error, 0, error);
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static String excerpt(String body) {
        String flat = body.strip().replaceAll("\\s+", " ");
        if (flat.isEmpty()) {
            return " (empty body)";
        }
        return " " + (flat.length() > EXCERPT ? flat.substring(0, EXCERPT) + "…" : flat);
    }

    /** Waits for a fetch, rethrowing its {@link TurnCredentialsException} as is. */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new TurnCredentialsException("fetching TURN credentials failed: " + e.getCause(), 0, e.getCause());
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new TurnCredentialsException("interrupted while fetching TURN credentials", 0, e);
        }
    }

    /** A TTL in whole seconds. */
    static long seconds(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.getSeconds() < 1) {
            throw new IllegalArgumentException("ttl must be at least 1 second; got " + ttl);
        }
        return ttl.getSeconds();
    }

    static String baseUrl(String url) {
        Objects.requireNonNull(url, "baseUrl");
        if (!url.startsWith("https://") && !url.startsWith("http://")) {
            throw new IllegalArgumentException("baseUrl '" + url + "' must start with https:// or http://");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
