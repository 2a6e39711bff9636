package io.fastrtc.springai.readme;

import io.fastrtc.agent.VoiceAgent;
import io.fastrtc.speech.SpeechToText;
import io.fastrtc.speech.TextToSpeech;
import io.fastrtc.springai.SpringAiChat;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The README's own agent bean with tools, verbatim between the markers. */
@Configuration(proxyBeanMethods = false)
public class AgentConfiguration {

    /** Tools the model may call. */
    public static class WeatherTools {
        public static final AtomicInteger CALLS = new AtomicInteger();

        @Tool(description = "The weather forecast for a city")
        public String forecast(String city) {
            CALLS.incrementAndGet();
            return "sunny in " + city;
        }
    }

    // README: begin
    @Bean
    VoiceAgent voiceAgent(ChatClient.Builder chat, SpeechToText stt, TextToSpeech tts) {
        return VoiceAgent.builder()
                .speechToText(stt)
                .chat(SpringAiChat.of(chat.defaultTools(new WeatherTools()).build(),
                        "You are a helpful voice assistant. Answer in short spoken sentences."))
                .textToSpeech(tts)
                .build();
    }
    // README: end
}
