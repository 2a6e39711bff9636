package io.fastrtc.speech.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Wav;
import io.fastrtc.speech.SpeechToText;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * Speech-to-text through an OpenAI-compatible service: {@code POST {base}/v1/audio/transcriptions},
 * a multipart form with the audio as a 16 kHz mono WAV file and the model name; the answer is
 * {@code {"text": "..."}}.
 *
 * <pre>{@code
 * SpeechToText stt = new OpenAiSpeechToText(OpenAiClient.builder().build(), "whisper-1");
 * }</pre>
 */
public final class OpenAiSpeechToText implements SpeechToText {

    static final String PATH = "/v1/audio/transcriptions";
    /** Whisper's rate; it keeps uploads small. */
    static final int SAMPLE_RATE = 16000;

    private final OpenAiClient client;
    private final String model;

    /** Uses {@code model} (e.g. {@code whisper-1}, {@code gpt-4o-transcribe}) of the service {@code client} talks to. */
    public OpenAiSpeechToText(OpenAiClient client, String model) {
        this.client = Objects.requireNonNull(client, "client");
        this.model = Objects.requireNonNull(model, "model");
    }

    @Override
    public String transcribe(AudioFrame audio) {
        if (audio.isEmpty()) {
            return "";
        }
        byte[] wav = Wav.write(audio.toMono().resample(SAMPLE_RATE));
        String answer = client.postMultipart(PATH, Map.of("model", model, "response_format", "json"),
                new OpenAiClient.FilePart("file", "audio.wav", "audio/wav", wav));
        JsonNode text;
        try {
            text = OpenAiClient.JSON.readTree(answer).path("text");
        } catch (IOException e) {
            text = null;
        }
        if (text == null || !text.isTextual()) {
            throw new OpenAiException(200, "POST " + client.baseUrl() + PATH
                    + " answered without a \"text\" field: " + abbreviate(answer), null);
        }
        return text.asText().strip();
    }

    static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
