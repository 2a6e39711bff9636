package io.fastrtc.speech.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fastrtc.internal.Checks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The HTTP side of an OpenAI-compatible service (OpenAI itself, or a local server with the same
 * routes): base URL, API key, timeout, and errors turned into {@link OpenAiException}s that say
 * what went wrong. Shared by {@link OpenAiSpeechToText}, {@link OpenAiTextToSpeech} and any other
 * client of the same service; thread-safe.
 *
 * <pre>{@code
 * OpenAiClient openai = OpenAiClient.builder().build();                       // api.openai.com, key from OPENAI_API_KEY
 * OpenAiClient local = OpenAiClient.builder().baseUrl("http://127.0.0.1:8880").build();
 * }</pre>
 */
public final class OpenAiClient {

    /** OpenAI's own service. Paths such as {@code /v1/audio/speech} are appended to the base URL. */
    public static final String DEFAULT_BASE_URL = "https://api.openai.com";
    /** The environment variable the key is read from when none is given. */
    public static final String API_KEY_VARIABLE = "OPENAI_API_KEY";

    static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String apiKey;
    private final Duration timeout;
    private final HttpClient http;

    private OpenAiClient(Builder b) {
        baseUrl = b.baseUrl;
        apiKey = b.apiKey != null ? b.apiKey : b.environment.apply(API_KEY_VARIABLE);
        timeout = b.timeout;
        http = HttpClient.newBuilder().connectTimeout(b.timeout).build();
    }

    public static Builder builder() {
        return new Builder(System::getenv);
    }

    /** The base URL, without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    /** A file in a multipart request. */
    public record FilePart(String field, String fileName, String contentType, byte[] content) {
        public FilePart {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(fileName, "fileName");
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(content, "content");
        }
    }

    /**
     * POSTs a JSON body to {@code path} (e.g. {@code "/v1/chat/completions"}) and returns the JSON
     * answer as text.
     *
     * @throws OpenAiException if the service cannot be reached or answers with an error status
     */
    public String postJson(String path, String json) {
        return new String(postJsonForBytes(path, json), StandardCharsets.UTF_8);
    }

    /** As {@link #postJson}, for routes that answer with bytes (audio). */
    public byte[] postJsonForBytes(String path, String json) {
        return send(path, "application/json", HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    }

    /** POSTs a {@code multipart/form-data} body of text fields and one file; returns the answer as text. */
    public String postMultipart(String path, Map<String, String> fields, FilePart file) {
        String boundary = "fastrtc-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                    + "\"\r\n\r\n" + field.getValue() + "\r\n");
        }
        write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + file.field()
                + "\"; filename=\"" + file.fileName() + "\"\r\nContent-Type: " + file.contentType() + "\r\n\r\n");
        body.writeBytes(file.content());
        write(body, "\r\n--" + boundary + "--\r\n");
        byte[] answer = send(path, "multipart/form-data; boundary=" + boundary,
                HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        return new String(answer, StandardCharsets.UTF_8);
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] send(String path, String contentType, HttpRequest.BodyPublisher body) {
        URI uri = URI.create(baseUrl + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", contentType).POST(body);
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new OpenAiException(0, "POST " + uri + " failed: " + e
                    + " (is the service running at " + baseUrl + "? the base URL is set with baseUrl(...))", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpenAiException(0, "interrupted during POST " + uri, e);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw new OpenAiException(status, "POST " + uri + " failed with HTTP " + status + ": "
                    + detail(response.body()) + " (" + hint(status, response) + ")", null);
        }
        return response.body();
    }

    /** The service's explanation: OpenAI's {@code {"error":{"message":...}}}, else the start of the body. */
    private static String detail(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        try {
            JsonNode json = JSON.readTree(text);
            JsonNode error = json.path("error");
            if (error.path("message").isTextual()) {
                return error.path("message").asText();
            }
            if (error.isTextual()) {
                return error.asText();
            }
            if (json.path("detail").isTextual()) {
                return json.path("detail").asText(); // FastAPI-based servers
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: show it as it is
        }
        if (text.isEmpty()) {
            return "(empty body)";
        }
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private String hint(int status, HttpResponse<?> response) {
        return switch (status) {
            case 401, 403 -> "check the API key: pass apiKey(...) or set " + API_KEY_VARIABLE;
            case 404 -> "check the base URL " + baseUrl + " and the model name";
            case 429 -> "rate limit or quota exceeded; try again later"
                    + response.headers().firstValue("Retry-After").map(s -> " (Retry-After: " + s + ")").orElse("");
            default -> status >= 500 ? "the service failed; try again later" : "the service refused the request";
        };
    }

    /** Configures an {@link OpenAiClient}. */
    public static final class Builder {
        private final UnaryOperator<String> environment;
        private String baseUrl = DEFAULT_BASE_URL;
        private String apiKey;
        private Duration timeout = Duration.ofSeconds(60);

        Builder(UnaryOperator<String> environment) {
            this.environment = environment;
        }

        /** Where the service is, e.g. {@code http://127.0.0.1:8000} (default {@value #DEFAULT_BASE_URL}). */
        public Builder baseUrl(String url) {
            Objects.requireNonNull(url, "url");
            URI uri = null;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                // reported below
            }
            if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("base URL must be http(s)://host[:port][/prefix]; got \"" + url
                        + "\"");
            }
            String trimmed = url.replaceAll("/+$", "");
            if (trimmed.endsWith("/v1")) {
                throw new IllegalArgumentException("base URL must not end in /v1, the requests add /v1/... "
                        + "themselves: use \"" + trimmed.substring(0, trimmed.length() - 3) + "\" instead of \""
                        + url + "\"");
            }
            baseUrl = trimmed;
            return this;
        }

        /** The API key (default: the environment variable {@value #API_KEY_VARIABLE}; none if unset). */
        public Builder apiKey(String key) {
            apiKey = key;
            return this;
        }

        /** How long to wait for a connection and for each answer (default 60 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = Checks.positive("timeout", timeout, Duration.ofSeconds(60));
            return this;
        }

        public OpenAiClient build() {
            return new OpenAiClient(this);
        }
    }
}
