package io.fastrtc.speech.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fastrtc.agent.ChatStream;
import io.fastrtc.agent.GatedChat;
import io.fastrtc.agent.Replies;
import io.fastrtc.agent.VoiceAgent;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.handler.Emit;
import io.fastrtc.speech.socket.Resources;
import io.fastrtc.turn.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link VoiceAgent} speaking through ElevenLabs, against {@link FakeElevenLabs} with handshakes of
 * 150 ms, as over a real network: each sentence's socket is opened ahead, so no sentence waits for
 * a handshake once its text exists, and every socket is released when the answer ends, when it is
 * interrupted and when one drops.
 */
class ElevenLabsVoiceAgentTest {

    static final List<String> SENTENCES = List.of("It is ten past three.", "The sun sets at six.", "See you at 3.");
    static final String SPOKEN = "It is ten past three. The sun sets at six. See you at 3. ";

    final FakeElevenLabs fake = new FakeElevenLabs();
    final ElevenLabsTextToSpeech tts = new ElevenLabsTextToSpeech.Builder(name -> null).baseUrl(fake.baseUrl)
            .apiKey(FakeElevenLabs.KEY).voiceId("voice-1").timeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        fake.close();
    }

    VoiceAgent agent(ChatStream chat) {
        return VoiceAgent.builder().speechToText(audio -> "what time is it").chat(chat).textToSpeech(tts).build();
    }

    /** Every audio item of a reply, to its end. */
    static List<AudioFrame> audio(Iterator<? extends Emit> reply) {
        List<AudioFrame> audio = new ArrayList<>();
        reply.forEachRemaining(e -> {
            if ((e instanceof Emit.WithOutputs w ? w.media() : e) instanceof AudioFrame frame) {
                audio.add(frame);
            }
        });
        return audio;
    }

    /** What the fake heard spoken, without the agent's pauses between sentences. */
    static String spoken(List<AudioFrame> audio) {
        return FakeElevenLabs.spoken(audio).replace("\0", "");
    }

    /** The text each connection was given, in the order they opened. */
    List<String> textPerConnection() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> texts = new ArrayList<>();
        for (List<String> messages : fake.messages) {
            StringBuilder text = new StringBuilder();
            for (String m : messages.subList(1, messages.size())) {
                text.append(json.readTree(m).path("text").asText());
            }
            texts.add(text.toString());
        }
        return texts;
    }

    @Test
    void eachSentencesSocketIsOpenBeforeTheModelHasWrittenIt() throws Exception {
        fake.handshakeMillis = 150;
        tts.synthesize("Warm up.");
        fake.messages.clear();
        fake.connections.set(0);
        Resources base = Resources.now();
        GatedChat chat = new GatedChat(SENTENCES, k -> fake.connections.get() >= k, fake.connections::get);

        List<AudioFrame> audio = audio(Replies.replyOn(agent(chat), "a"));

        // The first socket opens while the model thinks, each next one while the sentence before it plays.
        assertThat(chat.probed).as("sockets open when each sentence was written").containsExactly(1, 2, 3);
        assertThat(textPerConnection()).as("one socket per sentence, none to spare")
                .containsExactly("It is ten past three. ", "The sun sets at six. ", "See you at 3. ");
        assertThat(spoken(audio)).isEqualTo(SPOKEN);
        Resources.awaitReleased(base, fake.open);
    }

    @Test
    void anInterruptedAnswerReleasesTheSocketOpenedForItsNextSentence() {
        fake.handshakeMillis = 150;
        tts.synthesize("Warm up.");
        Resources base = Resources.now();
        int before = fake.connections.get();
        GatedChat chat = new GatedChat(SENTENCES, k -> true, fake.connections::get);
        chat.stopAfter = 1; // the model still writes when the caller talks over the answer

        Reply reply = (Reply) Replies.replyOn(agent(chat), "a");
        Replies.untilFirstAudio(reply);
        await().atMost(Duration.ofSeconds(5)).until(() -> fake.connections.get() == before + 2);
        reply.close();

        Resources.awaitReleased(base, fake.open);
        assertThat(fake.connections.get() - before).as("none opened after the interruption").isEqualTo(2);
    }

    @Test
    void aSocketOpenedAheadThatDropsBeforeAnyAudioIsReplacedAndItsSentenceSpokenWhole() throws Exception {
        fake.dropAtFirstTextOf = 2;
        GatedChat chat = new GatedChat(SENTENCES, k -> true, fake.connections::get);

        List<AudioFrame> audio = audio(Replies.replyOn(agent(chat), "a"));

        assertThat(spoken(audio)).isEqualTo(SPOKEN);
        List<String> texts = textPerConnection();
        assertThat(texts).as("the second sentence's socket dropped; a new one spoke it").hasSize(4);
        assertThat(texts.get(0)).isEqualTo("It is ten past three. ");
        assertThat(texts.get(1)).isNotEmpty().satisfies(t -> assertThat("The sun sets at six. ").startsWith(t));
        // The new one and the third sentence's, opened ahead meanwhile, in either order.
        assertThat(texts.subList(2, 4)).containsExactlyInAnyOrder("The sun sets at six. ", "See you at 3. ");
        await().untilAsserted(() -> assertThat(fake.open).hasValue(0));
    }
}
