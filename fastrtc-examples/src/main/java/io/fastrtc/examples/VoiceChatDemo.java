package io.fastrtc.examples;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.speech.SpeechToText;
import io.fastrtc.speech.TextToSpeech;
import io.fastrtc.speech.freetts.FreeTtsTextToSpeech;
import io.fastrtc.speech.openai.OpenAiClient;
import io.fastrtc.speech.openai.OpenAiSpeechToText;
import io.fastrtc.speech.openai.OpenAiTextToSpeech;
import io.fastrtc.speech.pocketsphinx.PocketSphinxSpeechToText;
import io.fastrtc.stream.Stream;
import io.fastrtc.ui.UiOptions;
import io.fastrtc.javalin.FastRtcPlugin;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;

/**
 * A complete voice assistant in the browser: {@link VoiceChat} mounted on Javalin with a page at
 * {@code /} (plain HTML and JavaScript from the classpath) that sends the microphone, plays the
 * answers and shows the conversation from the output hook {@code GET /outputs}.
 *
 * <p>By default everything runs offline: pocketsphinx hears (Debian packages {@code pocketsphinx}
 * and {@code pocketsphinx-en-us}), {@link RuleBasedChatModel} answers, FreeTTS speaks. Options:
 * <pre>
 *   [port]              else $PORT, else 8000
 *   --openai-chat       answers from an OpenAI-compatible chat model (key from $OPENAI_API_KEY)
 *   --openai            hearing and speech from it too (whisper-1, tts-1 with voice alloy)
 *   --openai-url=URL    its base URL, e.g. http://127.0.0.1:8080 for a local server (default OpenAI)
 *   --chat-model=NAME   the chat model (default gpt-4o-mini)
 * </pre>
 * Run it with {@code mvn -Pdemo -pl fastrtc-examples -am -DskipTests package
 * -Ddemo.main=io.fastrtc.examples.VoiceChatDemo [-Dexec.args="8001 --openai-chat"]}. Browsers only
 * grant microphone access to {@code localhost} or HTTPS pages.
 */
public final class VoiceChatDemo {

    /** Where the page lives on the classpath; it borrows the video demo's style sheet as {@code assets/}. */
    static final String PAGE_ROOT = "/io/fastrtc/examples/voicechat";

    private VoiceChatDemo() {
    }

    /** What to run, from the command line. */
    record Options(int port, boolean openAiChat, boolean openAiSpeech, String openAiUrl, String chatModel) {

        static Options parse(String[] args, String portVariable) {
            String port = null;
            boolean chat = false;
            boolean speech = false;
            String url = OpenAiClient.DEFAULT_BASE_URL;
            String model = "gpt-4o-mini";
            for (String arg : args) {
                if (arg.equals("--openai")) {
                    chat = true;
                    speech = true;
                } else if (arg.equals("--openai-chat")) {
                    chat = true;
                } else if (arg.startsWith("--openai-url=")) {
                    url = arg.substring("--openai-url=".length());
                } else if (arg.startsWith("--chat-model=")) {
                    model = arg.substring("--chat-model=".length());
                } else if (!arg.startsWith("--") && port == null) {
                    port = arg;
                } else {
                    throw new IllegalArgumentException("unknown option \"" + arg + "\"; use [port] [--openai-chat | "
                            + "--openai] [--openai-url=URL] [--chat-model=NAME]");
                }
            }
            int p = VideoFlipDemo.port(port == null ? new String[0] : new String[] {port}, portVariable);
            return new Options(p, chat, speech, url, model);
        }
    }

    /** The app: page, {@code POST /webrtc/offer}, {@code GET /outputs}. */
    public static Javalin create(Stream stream) {
        return Javalin.create(cfg -> {
            cfg.staticFiles.add(PAGE_ROOT, Location.CLASSPATH);
            cfg.staticFiles.add(files -> {
                files.hostedPath = "/assets";
                files.directory = VideoFlipDemo.WEB_ROOT;
                files.location = Location.CLASSPATH;
            });
            VideoFlipDemo.serveClient(cfg, "/assets");
            // The same assistant in the library's built-in UI, with the conversation as a chatbot output.
            cfg.registerPlugin(new FastRtcPlugin(stream, p -> {
                p.uiPath = "/ui";
                p.uiOptions = UiOptions.builder().title("Voice chat").subtitle("Speak, pause, and listen to the answer.")
                        .build();
            }));
            OutputHookExample.addRoute(cfg, stream);
        });
    }

    /** The assistant the options ask for. */
    static VoiceChat voiceChat(Options options) {
        OpenAiClient openai = options.openAiChat() || options.openAiSpeech()
                ? OpenAiClient.builder().baseUrl(options.openAiUrl()).build() : null;
        SpeechToText stt = options.openAiSpeech() ? new OpenAiSpeechToText(openai, "whisper-1")
                : new PocketSphinxSpeechToText();
        TextToSpeech tts = options.openAiSpeech() ? new OpenAiTextToSpeech(openai, "tts-1", "alloy")
                : new FreeTtsTextToSpeech().warmup();
        ChatModel chat = options.openAiChat() ? new OpenAiChatModel(openai, options.chatModel())
                : new RuleBasedChatModel();
        if (!options.openAiSpeech()) {
            stt.transcribe(AudioFrame.silence(16000, 1, 100)); // fails now, with the fix, if pocketsphinx is missing
        }
        return new VoiceChat(stt, chat, tts);
    }

    public static void main(String[] args) {
        Options options;
        VoiceChat chat;
        try {
            options = Options.parse(args, System.getenv("PORT"));
            chat = voiceChat(options);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Javalin app = VideoFlipDemo.start(chat.stream(), create(chat.stream()), options.port());
        System.out.println();
        System.out.println("  FastRTC voice chat: open http://localhost:" + app.port() + "/"
                + "  (built-in UI: http://localhost:" + app.port() + "/ui/)");
        System.out.println("  (hearing: " + (options.openAiSpeech() ? "OpenAI" : "pocketsphinx") + ", answers: "
                + (options.openAiChat() ? options.chatModel() : "rules") + ", voice: "
                + (options.openAiSpeech() ? "OpenAI" : "FreeTTS") + "; stop with Ctrl+C)");
        System.out.println();
    }
}
