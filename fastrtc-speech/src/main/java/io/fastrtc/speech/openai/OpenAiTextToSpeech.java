package io.fastrtc.speech.openai;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Wav;
import io.fastrtc.speech.TextToSpeech;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Text-to-speech through an OpenAI-compatible service: {@code POST {base}/v1/audio/speech} with
 * {@code {"model", "input", "voice", "response_format"}}, answered with the audio bytes.
 *
 * <pre>{@code
 * TextToSpeech tts = new OpenAiTextToSpeech(OpenAiClient.builder().build(), "tts-1", "alloy");
 * }</pre>
 */
public final class OpenAiTextToSpeech implements TextToSpeech {

    static final String PATH = "/v1/audio/speech";
    /** The rate of OpenAI's raw {@code pcm} format (16-bit little-endian mono). */
    public static final int PCM_SAMPLE_RATE = 24000;

    /** The audio format asked for. */
    public enum Format {
        /** Raw 24 kHz 16-bit little-endian mono: nothing to decode. */
        PCM("pcm"),
        /** A WAV file, for services whose raw PCM has another rate (the header says which). */
        WAV("wav");

        final String wire;

        Format(String wire) {
            this.wire = wire;
        }
    }

    private final OpenAiClient client;
    private final String model;
    private final String voice;
    private final Format format;

    /** Uses {@code model} (e.g. {@code tts-1}) and {@code voice} (e.g. {@code alloy}), asking for raw PCM. */
    public OpenAiTextToSpeech(OpenAiClient client, String model, String voice) {
        this(client, model, voice, Format.PCM);
    }

    public OpenAiTextToSpeech(OpenAiClient client, String model, String voice, Format format) {
        this.client = Objects.requireNonNull(client, "client");
        this.model = Objects.requireNonNull(model, "model");
        this.voice = Objects.requireNonNull(voice, "voice");
        this.format = Objects.requireNonNull(format, "format");
    }

    @Override
    public AudioFrame synthesize(String text) {
        if (Objects.requireNonNull(text, "text").isBlank()) {
            return AudioFrame.ofPcm16(PCM_SAMPLE_RATE, 1, new short[0]);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("input", text);
        body.put("voice", voice);
        body.put("response_format", format.wire);
        byte[] audio;
        try {
            audio = client.postJsonForBytes(PATH, OpenAiClient.JSON.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e); // a map of strings always serialises
        }
        try {
            return format == Format.PCM ? AudioFrame.fromBytes(PCM_SAMPLE_RATE, 1, audio) : Wav.read(audio);
        } catch (IllegalArgumentException e) {
            throw new OpenAiException(200, "POST " + client.baseUrl() + PATH + " answered with " + audio.length
                    + " bytes that are not " + format.wire + " audio: " + e.getMessage(), e);
        }
    }
}
