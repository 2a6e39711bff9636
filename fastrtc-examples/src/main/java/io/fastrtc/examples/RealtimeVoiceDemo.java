package io.fastrtc.examples;

import io.fastrtc.realtime.GeminiLive;
import io.fastrtc.realtime.OpenAiRealtime;
import io.fastrtc.realtime.RealtimeBuilder;
import io.fastrtc.realtime.RealtimeHandler;
import io.fastrtc.realtime.Tool;
import io.fastrtc.stream.Stream;
import io.fastrtc.ui.Chatbot;
import io.javalin.Javalin;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;

/**
 * A voice assistant that is a realtime speech-to-speech model (FastRTC's "talk to OpenAI / Gemini"
 * demos): every call is bridged to its own model session, which hears, decides when the caller has
 * finished, answers aloud and can be interrupted. The page at {@code /} (the voice chat's) and the
 * built-in UI at {@code /ui/} show the conversation. One tool, {@code get_time}, shows Java code
 * called by the model.
 * <pre>
 *   [port]          else $PORT, else 8000
 *   --gemini        Gemini Live (key from $GEMINI_API_KEY) instead of OpenAI Realtime ($OPENAI_API_KEY)
 *   --model=ID      the model (default gpt-realtime, or gemini-3.1-flash-live-preview)
 *   --url=WS_URL    the endpoint, e.g. a local proxy (default the vendor's)
 * </pre>
 * Run it with {@code mvn -Pdemo -pl fastrtc-examples -am -DskipTests package
 * -Ddemo.main=io.fastrtc.examples.RealtimeVoiceDemo [-Dexec.args="--gemini"]}.
 */
public final class RealtimeVoiceDemo {

    private RealtimeVoiceDemo() {
    }

    /** What to run, from the command line. */
    record Options(int port, boolean gemini, String model, String url) {

        static Options parse(String[] args, String portVariable) {
            String port = null;
            boolean gemini = false;
            String model = null;
            String url = null;
            for (String arg : args) {
                if (arg.equals("--gemini")) {
                    gemini = true;
                } else if (arg.startsWith("--model=")) {
                    model = arg.substring("--model=".length());
                } else if (arg.startsWith("--url=")) {
                    url = arg.substring("--url=".length());
                } else if (!arg.startsWith("--") && port == null) {
                    port = arg;
                } else {
                    throw new IllegalArgumentException("unknown option \"" + arg
                            + "\"; use [port] [--gemini] [--model=ID] [--url=WS_URL]");
                }
            }
            int p = VideoFlipDemo.port(port == null ? new String[0] : new String[] {port}, portVariable);
            return new Options(p, gemini, model, url);
        }

        String keyVariable() {
            return gemini ? GeminiLive.KEY_VARIABLE : OpenAiRealtime.KEY_VARIABLE;
        }
    }

    /** Why the demo cannot start without a key, and what to set; null when the key is there. */
    static String missingKey(Options options, Function<String, String> env) {
        String key = env.apply(options.keyVariable());
        if (key != null && !key.isBlank()) {
            return null;
        }
        return "This demo talks to " + (options.gemini() ? "Gemini Live" : "the OpenAI Realtime API")
                + " and needs an API key.\n"
                + "  Set it in the environment, e.g.  export " + options.keyVariable() + "=...\n"
                + "  (" + (options.gemini() ? "get one at Google AI Studio" : "create one in the OpenAI dashboard")
                + "; use " + (options.gemini() ? "no flag for OpenAI, " : "--gemini for Gemini Live, ")
                + "or VoiceChatDemo for the offline assistant.)";
    }

    /** The model bridge the options ask for, with the key from {@code env}. */
    static RealtimeHandler handler(Options options, Function<String, String> env) {
        String key = env.apply(options.keyVariable());
        return options.gemini() ? configure(GeminiLive.builder(), options, key).build()
                : configure(OpenAiRealtime.builder(), options, key).build();
    }

    private static <B extends RealtimeBuilder<B>> B configure(B builder, Options options, String key) {
        builder.apiKey(key)
                .instructions("You are a friendly, concise voice assistant. Answer in one or two sentences.")
                .tool(Tool.of("get_time", "The current local time of the server, as HH:mm",
                        args -> LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm"))));
        if (options.model() != null) {
            builder.model(options.model());
        }
        if (options.url() != null) {
            builder.baseUrl(options.url());
        }
        return builder;
    }

    /** The stream: the bridge, the conversation as an output, a few calls at a time. */
    static Stream stream(RealtimeHandler handler) {
        return Stream.builder()
                .audio(handler)
                .additionalOutputs(Chatbot.of("Conversation"))
                .concurrencyLimit(4)
                .build();
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args, System.getenv("PORT"));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        String missing = missingKey(options, System::getenv);
        if (missing != null) {
            System.err.println(missing);
            System.exit(2);
            return;
        }
        Stream stream = stream(handler(options, System::getenv));
        Javalin app = VideoFlipDemo.start(stream, VoiceChatDemo.create(stream), options.port());
        System.out.println();
        System.out.println("  FastRTC realtime voice: open http://localhost:" + app.port() + "/"
                + "  (built-in UI: http://localhost:" + app.port() + "/ui/)");
        System.out.println("  (model: " + (options.gemini() ? "Gemini Live" : "OpenAI Realtime")
                + (options.model() == null ? "" : " " + options.model()) + "; stop with Ctrl+C)");
        System.out.println();
    }
}
