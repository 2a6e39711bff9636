package io.fastrtc.springai;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The auto-configured voice agent ({@code fastrtc.agent.*}).
 *
 * @param enabled       build the agent (and, without a {@code Stream} bean, its stream) when Spring AI, a
 *                      {@code SpeechToText} and a {@code TextToSpeech} bean are present
 * @param systemMessage the system prompt of every conversation (none by default)
 * @param apology       said when recognition or the model fails before an answer began (empty: silence)
 * @param timeout       how long the model may write without completing a sentence
 */
@ConfigurationProperties("fastrtc.agent")
public record VoiceAgentProperties(
        @DefaultValue("true") boolean enabled,
        String systemMessage,
        @DefaultValue("Sorry, something went wrong. Please try again.") String apology,
        @DefaultValue("30s") Duration timeout) {
}
