package io.fastrtc.transport;

import static io.fastrtc.transport.WebSocketTransportTest.handlerOf;
import static io.fastrtc.transport.WebSocketTransportTest.loudHeardSince;
import static io.fastrtc.transport.WebSocketTransportTest.loudMediaSince;
import static io.fastrtc.transport.WebSocketTransportTest.receivedMillis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Resampler;
import io.fastrtc.handler.Context;
import io.fastrtc.javalin.FastRtcPlugin;
import io.fastrtc.security.AccessDenied;
import io.fastrtc.stream.Stream;
import io.fastrtc.telephone.PhoneCall;
import io.fastrtc.telephone.TelephoneOptions;
import io.fastrtc.telephone.TwilioSignature;
import io.fastrtc.testing.SocketCaller;
import io.fastrtc.testing.Speech;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.turn.PauseDetectionModel;
import io.fastrtc.turn.Reply;
import io.fastrtc.turn.ReplyOnPause;
import io.fastrtc.turn.SpeechDetector;
import io.fastrtc.turn.SpeechResult;
import io.fastrtc.turn.WebRtcVad;
import io.javalin.Javalin;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Phone calls: the TwiML webhook and Twilio Media Streams, with a client speaking Twilio's protocol. */
class TelephoneTransportTest {

    static final String SID = "MZ0123456789abcdef0123456789abcdef";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    private static AudioFrame voiced;

    /**
     * Speech that stays speech at 8 kHz: sibilants lose most of their energy in the telephone band,
     * so a sentence full of them can look like a pause to the detector and become two turns.
     */
    static synchronized AudioFrame voiced() throws Exception {
        if (voiced == null) {
            voiced = Speech.say("hello maria how are you today");
        }
        return voiced;
    }

    static String handlerUrl(StreamServer server) {
        return server.baseUrl().replace("http:", "ws:") + "/telephone/handler";
    }

    static HttpResponse<String> incomingCall(String url, Map<String, String> form, Map<String, String> headers)
            throws Exception {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, String> webhookForm() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("CallSid", "CA00000000000000000000000000000001");
        form.put("AccountSid", "AC00000000000000000000000000000000");
        form.put("From", "+14155550100");
        form.put("To", "+14155550199");
        form.put("CallStatus", "ringing");
        return form;
    }

    /** {@link #webhookForm()} as the signature's parameters. */
    static Map<String, List<String>> webhookParams() {
        Map<String, List<String>> params = new LinkedHashMap<>();
        webhookForm().forEach((k, v) -> params.put(k, List.of(v)));
        return params;
    }

    /** Every message we sent Twilio is one of Twilio's own, for our stream. */
    static void assertOnlyTwilioEvents(SocketCaller caller) throws Exception {
        for (String m : caller.received()) {
            JsonNode event = JSON.readTree(m);
            assertThat(event.path("event").asText()).as(m).isIn("media", "mark", "clear");
            assertThat(event.path("streamSid").asText()).as(m).isEqualTo(SID);
        }
    }

    @Test
    void anIncomingCallIsAnsweredWithTwimlConnectingItToTheMediaStream() throws Exception {
        Stream stream = Stream.builder().audio(new ReplyOnPause(audio -> Reply.of(audio)))
                .trustedProxies("127.0.0.1").build();
        Javalin app = Javalin.create(cfg -> cfg.registerPlugin(new FastRtcPlugin(stream, p -> p.path = "/api")));
        app.start("127.0.0.1", 0);
        try {
            String url = "http://127.0.0.1:" + app.port() + "/api/telephone/incoming";
            HttpResponse<String> direct = incomingCall(url, webhookForm(), Map.of());
            assertThat(direct.statusCode()).isEqualTo(200);
            assertThat(direct.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/xml");
            assertThat(direct.body()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
                    + "<Say>Connecting to the AI assistant.</Say><Connect><Stream url=\"ws://127.0.0.1:" + app.port()
                    + "/api/telephone/handler\"><Parameter name=\"From\" value=\"+14155550100\" />"
                    + "<Parameter name=\"To\" value=\"+14155550199\" /></Stream></Connect>"
                    + "<Say>The call has been disconnected.</Say></Response>");

            HttpResponse<String> proxied = incomingCall(url, Map.of(),
                    Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "voice.example.com"));
            assertThat(proxied.body()).contains("<Stream url=\"wss://voice.example.com/api/telephone/handler\" />");
        } finally {
            stream.close();
            app.stop();
        }
    }

    @Test
    void forgedWebhooksAndSocketsAreRefused() throws Exception {
        TwilioSignature twilio = new TwilioSignature("secret-token");
        Stream stream = Stream.builder().audio(new ReplyOnPause(audio -> Reply.of(audio)))
                .telephone(TelephoneOptions.builder().authToken("secret-token").build()).build();
        try (StreamServer server = StreamServer.start(stream)) {
            String url = server.baseUrl() + "/telephone/incoming";
            Map<String, List<String>> params = webhookParams();
            String signature = twilio.sign(url, params);

            assertThat(incomingCall(url, webhookForm(), Map.of()).statusCode()).isEqualTo(403);
            HttpResponse<String> signed = incomingCall(url, webhookForm(), Map.of(TwilioSignature.HEADER, signature));
            assertThat(signed.statusCode()).isEqualTo(200);
            assertThat(signed.body()).contains("<Connect><Stream url=");
            Map<String, String> tampered = webhookForm();
            tampered.put("From", "+19005550123");
            HttpResponse<String> forged = incomingCall(url, tampered, Map.of(TwilioSignature.HEADER, signature));
            assertThat(forged.statusCode()).isEqualTo(403);
            // The caller learns nothing of the expected URL or the configuration; the log has it.
            assertThat(forged.body()).isEqualTo("{\"status\":\"failed\",\"meta\":{\"error\":\"forbidden\","
                    + "\"message\":\"forbidden\"}}");

            try (SocketCaller unsigned = SocketCaller.twilio(handlerUrl(server), Map.of())) {
                SocketCaller.Closed closed = unsigned.awaitClosed(Duration.ofSeconds(10));
                assertThat(closed.code()).isEqualTo(1008);
                assertThat(closed.reason()).isEqualTo("forbidden");
            }
            String socketSignature = twilio.sign(handlerUrl(server), Map.of());
            try (SocketCaller genuine = SocketCaller.twilio(handlerUrl(server),
                    Map.of(TwilioSignature.HEADER, socketSignature))) {
                genuine.start(SID, Map.of());
                await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().contains(SID));
                assertThat(genuine.awaitClosed(Duration.ofMillis(200))).isNull();
            }
        }
    }

    /** A request Twilio signed for another app's URL, replayed with forwarded headers naming that URL. */
    @Test
    void forwardedHeadersFromAnUntrustedPeerDoNotMakeAForeignSignatureValid() throws Exception {
        TwilioSignature twilio = new TwilioSignature("secret-token");
        try (StreamServer server = StreamServer.start(Stream.builder().audio(new ReplyOnPause(audio -> Reply.of(audio)))
                .telephone(TelephoneOptions.builder().authToken("secret-token").build()).build())) {
            Map<String, List<String>> params = webhookParams();
            Map<String, String> replay = Map.of("X-Forwarded-Proto", "https",
                    "X-Forwarded-Host", "other-app.example.com",
                    TwilioSignature.HEADER, twilio.sign("https://other-app.example.com/telephone/incoming", params));
            HttpResponse<String> webhook = incomingCall(server.baseUrl() + "/telephone/incoming", webhookForm(), replay);
            assertThat(webhook.statusCode()).isEqualTo(403);
            assertThat(webhook.body()).doesNotContain("other-app").doesNotContain("127.0.0.1");

            try (SocketCaller socket = SocketCaller.twilio(handlerUrl(server), Map.of("X-Forwarded-Proto", "https",
                    "X-Forwarded-Host", "other-app.example.com",
                    TwilioSignature.HEADER, twilio.sign("wss://other-app.example.com/telephone/handler", Map.of())))) {
                SocketCaller.Closed closed = socket.awaitClosed(Duration.ofSeconds(10));
                assertThat(closed).isNotNull();
                assertThat(closed.code()).isEqualTo(1008);
            }
        }
    }

    @Test
    void theAuthorizerDecidesOnPhoneRoutesAfterTheSignature() throws Exception {
        TwilioSignature twilio = new TwilioSignature("secret-token");
        List<String> asked = new CopyOnWriteArrayList<>();
        Stream stream = Stream.builder().audio(new ReplyOnPause(audio -> Reply.of(audio)))
                .telephone(TelephoneOptions.builder().authToken("secret-token").build())
                .authorizer(request -> {
                    asked.add(request.path());
                    if (!request.path().startsWith("/telephone/") || request.queryParam("deny") != null) {
                        throw AccessDenied.forbidden("not for you");
                    }
                    return "twilio";
                }).build();
        try (StreamServer server = StreamServer.start(stream)) {
            String url = server.baseUrl() + "/telephone/incoming";
            Map<String, List<String>> params = webhookParams();
            assertThat(incomingCall(url, webhookForm(), Map.of()).statusCode()).isEqualTo(403);
            assertThat(asked).as("a forged webhook never reaches the authorizer").isEmpty();
            assertThat(incomingCall(url, webhookForm(), Map.of(TwilioSignature.HEADER, twilio.sign(url, params)))
                    .statusCode()).isEqualTo(200);
            HttpResponse<String> denied = incomingCall(url + "?deny=1", webhookForm(),
                    Map.of(TwilioSignature.HEADER, twilio.sign(url + "?deny=1", params)));
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(denied.body()).contains("not for you");
            assertThat(asked).containsExactly("/telephone/incoming", "/telephone/incoming");

            String socket = handlerUrl(server) + "?deny=1";
            try (SocketCaller refused = SocketCaller.twilio(socket,
                    Map.of(TwilioSignature.HEADER, twilio.sign(socket, Map.of())))) {
                assertThat(refused.awaitClosed(Duration.ofSeconds(10)).code()).isEqualTo(1008);
            }
            try (SocketCaller call = SocketCaller.twilio(handlerUrl(server),
                    Map.of(TwilioSignature.HEADER, twilio.sign(handlerUrl(server), Map.of())))) {
                call.start(SID, Map.of());
                await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().contains(SID));
            }
        }
    }

    /** Says {@link #voiced()} once the call settled; returns when the turn reached the handler and its reply is heard. */
    private static void sayAndHearTheReply(SocketCaller caller, List<AudioFrame> utterances) throws Exception {
        Thread.sleep(500);
        caller.say(voiced());
        await().atMost(Duration.ofSeconds(30)).until(() -> !utterances.isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> !caller.speaking());
        long speechEnd = caller.speechEndedNanos();
        await().atMost(Duration.ofSeconds(20)).until(() -> loudHeardSince(caller, speechEnd) >= 100);
    }

    @Test
    void aCallerHearsTheReplyAsPacedMuLawAndMarksTrackWhatPlayed() throws Exception {
        List<AudioFrame> utterances = new CopyOnWriteArrayList<>();
        List<Object> seen = new CopyOnWriteArrayList<>();
        ReplyOnPause agent = ReplyOnPause.builder(audio -> {
            utterances.add(audio);
            Context context = Context.current().orElseThrow();
            seen.add(context.phoneCall().orElseThrow());
            return Reply.of(audio);
        }).inputSampleRate(16000).build();
        Stream stream = Stream.builder().audio(agent).build();
        try (StreamServer server = StreamServer.start(stream);
                SocketCaller caller = SocketCaller.twilio(handlerUrl(server), Map.of())) {
            caller.start(SID, Map.of("FirstName", "Jane"));
            ReplyOnPause copy = handlerOf(stream, SID, ReplyOnPause.class);
            assertThat(copy.phoneMode()).isTrue();
            sayAndHearTheReply(caller, utterances);

            // The handler got the caller's audio at its own rate and knows the call.
            assertThat(utterances).hasSize(1);
            assertThat(utterances.get(0).sampleRate()).isEqualTo(16000);
            PhoneCall call = (PhoneCall) seen.get(0);
            assertThat(call.streamSid()).isEqualTo(SID);
            assertThat(call.callSid()).isEqualTo("CA00000000000000000000000000000001");
            assertThat(call.customParameters()).containsEntry("FirstName", "Jane");

            // The reply: 8 kHz µ-law in 20 ms events, paced, followed by a mark the caller echoed once played.
            double replyMillis = utterances.get(0).durationMillis();
            await().atMost(Duration.ofSeconds(20)).until(() -> caller.markEchoes().size() >= 1);
            assertThat(receivedMillis(caller, 8000)).isBetween(replyMillis - 20, replyMillis + 20);
            List<SocketCaller.Media> media = List.copyOf(caller.media());
            assertThat(media.subList(0, media.size() - 1)).allSatisfy(m -> assertThat(m.samples()).isEqualTo(160));
            double spanMillis = (media.get(media.size() - 1).nanos() - media.get(0).nanos()) / 1e6;
            // Paced, not a burst: half the reply's duration tells them apart without failing when a
            // loaded machine stalls the pacer and it then sends the audio it owes at once.
            assertThat(spanMillis).isGreaterThan(replyMillis / 2);
            String last = caller.received().get(caller.received().size() - 1);
            assertThat(JSON.readTree(last).path("event").asText()).isEqualTo("mark");
            assertThat(caller.markEchoes().get(0)).isGreaterThan(media.get(media.size() - 1).nanos());
            // Phone mode: no inputs asked for, no data-channel messages sent to Twilio.
            assertOnlyTwilioEvents(caller);
        }
    }

    /** The turns a ReplyOnPause taking {@code inputRate} got from one utterance over Twilio, and all the caller sent. */
    private record OneTurnCall(List<AudioFrame> utterances, AudioFrame sent) {
        static OneTurnCall of(int inputRate) throws Exception {
            List<AudioFrame> utterances = new CopyOnWriteArrayList<>();
            ReplyOnPause agent = ReplyOnPause.builder(audio -> {
                utterances.add(audio);
                return Reply.of(audio);
            }).inputSampleRate(inputRate).build();
            try (StreamServer server = StreamServer.start(Stream.builder().audio(agent).build());
                    SocketCaller caller = SocketCaller.twilio(handlerUrl(server), Map.of())) {
                caller.start(SID, Map.of());
                sayAndHearTheReply(caller, utterances);
                return new OneTurnCall(List.copyOf(utterances), caller.sentAudio());
            }
        }
    }

    @Test
    void aPhoneAgentTakingTheCallsOwnEightKilohertzGetsWholeTurnsAtThatRateAndAnswers() throws Exception {
        // Nothing is resampled on the way in: the VAD judges the call's 8 kHz as it arrives.
        List<AudioFrame> utterances = OneTurnCall.of(8000).utterances();
        assertThat(utterances).hasSize(1);
        assertThat(utterances.get(0).sampleRate()).isEqualTo(8000);
        // The whole utterance, not a fragment cut by a VAD misjudging 8 kHz audio.
        assertThat(utterances.get(0).durationMillis()).isGreaterThan(voiced().durationMillis() * 0.8);
    }

    @Test
    void aSixteenKilohertzAgentGetsItsTurnAsTheSameSamplesAsConvertingTheWholeCall() throws Exception {
        // The pipeline keeps the call's 8 kHz for ReplyOnPause, which converts only the turn when it ends.
        OneTurnCall call = OneTurnCall.of(16000);
        AudioFrame turn = call.utterances().get(0);
        assertThat(turn.sampleRate()).isEqualTo(16000);
        assertThat(turn.durationMillis()).isGreaterThan(voiced().durationMillis() * 0.8);
        short[] whole = new Resampler(8000, 16000, 1).process(call.sent()).toPcm16();
        short[] heard = turn.toPcm16();
        int found = -1;
        for (int at = 0; at + heard.length <= whole.length && found < 0; at += 320) { // turns start on 20 ms frames
            if (Arrays.equals(whole, at, at + heard.length, heard, 0, heard.length)) {
                found = at;
            }
        }
        assertThat(found).as("the turn, sample for sample, in the whole call converted at once").isNotNegative();
    }

    @Test
    void aStreamingAgentJudgesTheCallsFramesOnTheSocketsThreadNotAnInputThreadOfTheCall() throws Exception {
        // ReplyOnPause's receive only judges frames (the reply runs on the output thread), so a call's
        // 20 ms frames need not wake a session thread 50 times a second: the socket's thread hands them over.
        Set<String> judgedOn = ConcurrentHashMap.newKeySet();
        PauseDetectionModel recording = new PauseDetectionModel() {
            @Override
            public SpeechResult vad(AudioFrame audio) {
                return WebRtcVad.shared().vad(audio);
            }

            @Override
            public SpeechDetector streamingDetector() {
                SpeechDetector detector = WebRtcVad.shared().streamingDetector();
                return new SpeechDetector() {
                    @Override
                    public float process(AudioFrame audio) {
                        judgedOn.add(Thread.currentThread().getName());
                        return detector.process(audio);
                    }

                    @Override
                    public void reset() {
                        detector.reset();
                    }

                    @Override
                    public void close() {
                        detector.close();
                    }
                };
            }
        };
        List<AudioFrame> utterances = new CopyOnWriteArrayList<>();
        ReplyOnPause agent = ReplyOnPause.builder(audio -> {
            utterances.add(audio);
            return Reply.of(audio);
        }).model(recording).inputSampleRate(16000).build();
        try (StreamServer server = StreamServer.start(Stream.builder().audio(agent).build());
                SocketCaller caller = SocketCaller.twilio(handlerUrl(server), Map.of())) {
            caller.start(SID, Map.of());
            sayAndHearTheReply(caller, utterances);
        }
        assertThat(utterances).as("one whole turn, answered").hasSize(1);
        assertThat(utterances.get(0).durationMillis()).isGreaterThan(voiced().durationMillis() * 0.8);
        assertThat(judgedOn).isNotEmpty().noneMatch(thread -> thread.startsWith("fastrtc-handler"));
    }

    @Test
    void talkingOverAReplySendsClearSoItStopsOnThePhoneAtOnce() throws Exception {
        AudioFrame hello = WebSocketTransportTest.hello();
        AudioFrame longReply = hello.concat(hello).concat(hello).concat(hello);
        Stream stream = Stream.builder().audio(new ReplyOnPause(audio -> Reply.of(longReply))).build();
        try (StreamServer server = StreamServer.start(stream);
                SocketCaller caller = SocketCaller.twilio(handlerUrl(server), Map.of())) {
            WebSocketTransportTest.startAndSay(stream, caller, SID, hello);
            await().atMost(Duration.ofSeconds(30)).until(() -> loudHeardSince(caller, 0) > 30);
            caller.say(hello);
            String clear = caller.awaitMessage("clear", Duration.ofSeconds(10));
            assertThat(clear).isEqualTo("{\"event\":\"clear\",\"streamSid\":\"" + SID + "\"}");
            long cleared = System.nanoTime();
            assertThat(caller.speaking()).as("cut while the caller is still talking").isTrue();
            Thread.sleep(800);
            assertThat(loudMediaSince(caller, cleared + 100_000_000L)).as("reply media after the clear").isZero();
            assertThat(loudHeardSince(caller, cleared + 100_000_000L)).as("reply heard after the clear").isZero();
            assertOnlyTwilioEvents(caller);
        }
    }

    @Test
    void closeStreamHangsUpOnlyOnceTheCallerHeardEverything() throws Exception {
        Stream stream = Stream.builder().audio(new WebSocketTransportTest.ToneThenClose(new java.util.concurrent.atomic.AtomicInteger()))
                .build();
        try (StreamServer server = StreamServer.start(stream);
                SocketCaller caller = SocketCaller.twilio(handlerUrl(server), Map.of())) {
            caller.delayMarkEchoes(Duration.ofMillis(1500));
            caller.start(SID, Map.of());
            SocketCaller.Closed closed = caller.awaitClosed(Duration.ofSeconds(20));
            assertThat(closed.code()).isEqualTo(1000);
            assertThat(caller.markEchoes()).hasSize(1);
            assertThat(closed.nanos()).as("closed after the mark echo").isGreaterThan(caller.markEchoes().get(0));
            assertThat(receivedMillis(caller, 8000)).isEqualTo(1000.0);
            assertOnlyTwilioEvents(caller);
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().isEmpty());
        }
    }

    @Test
    void callsCountAgainstTheLimitHearKeysAndEndWithTheShutdownHook() throws Exception {
        WebSocketTransportTest.RecordingEcho echo = new WebSocketTransportTest.RecordingEcho();
        List<String> keys = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        Stream stream = Stream.builder().audio(echo).concurrencyLimit(1)
                .telephone(TelephoneOptions.builder().onDtmf((call, digit) -> {
                    threads.add(Thread.currentThread().getName());
                    keys.add(call.streamSid() + ":" + digit + ":" + Context.current().map(Context::webrtcId).orElse("?"));
                }).build())
                .build();
        try (StreamServer server = StreamServer.start(stream);
                SocketCaller first = SocketCaller.twilio(handlerUrl(server), Map.of());
                SocketCaller second = SocketCaller.twilio(handlerUrl(server), Map.of())) {
            first.start(SID, Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().contains(SID));
            second.muteMicrophone(); // only its refusal matters here
            second.start("MZsecond", Map.of());
            assertThat(second.awaitClosed(Duration.ofSeconds(10)).code()).isEqualTo(1013);
            assertThat(second.received()).as("no FastRTC failure JSON on Twilio's socket").isEmpty();

            first.dtmf("5");
            first.dtmf("#");
            await().atMost(Duration.ofSeconds(10)).until(() -> keys.size() == 2);
            assertThat(keys).containsExactly(SID + ":5:" + SID, SID + ":#:" + SID);
            assertThat(threads).as("the listener runs on the runtime's handler threads")
                    .allMatch(name -> name.startsWith("fastrtc-handler-"));

            first.stop();
            assertThat(first.awaitClosed(Duration.ofSeconds(10)).code()).isEqualTo(1000);
            await().atMost(Duration.ofSeconds(10)).until(() -> echo.shutdowns.get() == 1);
            assertThat(stream.connectionIds()).isEmpty();
        }
    }

    @Test
    void brokenStreamsAreClosedWithClearCodesAndTheServerServesOn() throws Exception {
        Stream stream = Stream.builder().audio(new WebSocketTransportTest.RecordingEcho())
                .timeLimit(Duration.ofSeconds(2)).build();
        try (StreamServer server = StreamServer.start(stream)) {
            try (SocketCaller early = SocketCaller.twilio(handlerUrl(server), Map.of())) {
                early.send("{\"event\":\"media\",\"sequenceNumber\":\"1\",\"media\":{\"track\":\"inbound\",\"chunk\":\"1\","
                        + "\"timestamp\":\"5\",\"payload\":\"//8=\"},\"streamSid\":\"" + SID + "\"}");
                assertThat(early.awaitClosed(Duration.ofSeconds(10)).code()).isEqualTo(1008);
            }
            try (SocketCaller wide = SocketCaller.twilio(handlerUrl(server), Map.of())) {
                wide.send("{\"event\":\"start\",\"sequenceNumber\":\"1\",\"start\":{\"streamSid\":\"" + SID + "\","
                        + "\"mediaFormat\":{\"encoding\":\"audio/x-l16\",\"sampleRate\":16000,\"channels\":1}},"
                        + "\"streamSid\":\"" + SID + "\"}");
                assertThat(wide.awaitClosed(Duration.ofSeconds(10)).code()).isEqualTo(1003);
            }
            assertThat(stream.connectionIds()).isEmpty();
            try (SocketCaller caller = SocketCaller.twilio(handlerUrl(server), Map.of())) {
                caller.start(SID, Map.of());
                await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().contains(SID));
                caller.send("{\"event\":\"media\",\"media\":{\"payload\":\"not base64!\"},\"streamSid\":\"" + SID + "\"}");
                caller.send("{\"event\":\"someFutureEvent\",\"streamSid\":\"" + SID + "\"}");
                caller.send("garbage");
                // Still served (Twilio is never sent errors), until the time limit hangs up.
                assertThat(caller.awaitClosed(Duration.ofSeconds(1))).isNull();
                assertThat(stream.connectionIds()).containsExactly(SID);
                SocketCaller.Closed closed = caller.awaitClosed(Duration.ofSeconds(15));
                assertThat(closed.code()).isEqualTo(1000);
                assertThat(closed.reason()).contains("time limit");
                assertOnlyTwilioEvents(caller);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().isEmpty());
        }
    }
}
