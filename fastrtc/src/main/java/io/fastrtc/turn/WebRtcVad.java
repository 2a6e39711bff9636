package io.fastrtc.turn;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.engine.VoiceActivity;
import java.util.List;

/** Placeholder until the full implementation lands: libwebrtc's detector, fraction of speech windows. */
public final class WebRtcVad implements PauseDetectionModel {

    private static final WebRtcVad SHARED = new WebRtcVad();

    public static WebRtcVad shared() {
        return SHARED;
    }

    @Override
    public SpeechResult vad(AudioFrame audio) {
        try (VoiceActivity va = new VoiceActivity()) {
            float[] p = va.process(audio);
            int speech = 0;
            for (float v : p) {
                speech += v >= 0.5f ? 1 : 0;
            }
            return new SpeechResult(speech / 100.0, List.of(), 16000);
        }
    }

    @Override
    public SpeechDetector streamingDetector() {
        VoiceActivity va = new VoiceActivity();
        return new SpeechDetector() {
            @Override
            public float process(AudioFrame audio) {
                float[] p = va.process(audio);
                return p.length == 0 ? -1 : p[p.length - 1];
            }

            @Override
            public void reset() {
            }

            @Override
            public void close() {
                va.close();
            }
        };
    }
}
