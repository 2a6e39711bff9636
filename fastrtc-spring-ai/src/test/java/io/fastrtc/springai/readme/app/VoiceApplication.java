package io.fastrtc.springai.readme.app;

import io.fastrtc.speech.SpeechToText;
import io.fastrtc.speech.TextToSpeech;
import io.fastrtc.speech.freetts.FreeTtsTextToSpeech;
import io.fastrtc.speech.pocketsphinx.PocketSphinxSpeechToText;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** The README's Spring AI application, verbatim between the markers. */
// README: begin
@SpringBootApplication
public class VoiceApplication {

    @Bean
    SpeechToText speechToText() {
        return new PocketSphinxSpeechToText(); // offline; or OpenAiSpeechToText
    }

    @Bean
    TextToSpeech textToSpeech() {
        return new FreeTtsTextToSpeech();
    }

    public static void main(String[] args) {
        SpringApplication.run(VoiceApplication.class, args);
    }
}
// README: end
