package io.fastrtc.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's realtime snippet compiles against this module, as written. */
class ReadmeSnippetTest {

    private static final String HEADING = "## Realtime speech-to-speech models";

    @Test
    void theRealtimeSnippetCompiles(@TempDir Path out) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int section = readme.indexOf(HEADING);
        assertThat(section).as("README section %s", HEADING).isNotNegative();
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        String snippet = readme.substring(start, readme.indexOf("```", start));
        assertThat(snippet).contains("OpenAiRealtime.builder()", "Tool.of(");

        String source = """
                import io.fastrtc.javalin.FastRtcPlugin;
                import io.fastrtc.realtime.*;
                import io.fastrtc.stream.Stream;
                import io.fastrtc.ui.Chatbot;
                import io.javalin.Javalin;

                class Snippet {
                    interface WeatherService { String lookup(String argumentsJson) throws Exception; }

                    void run(Javalin app, WeatherService weatherService) {
                """ + snippet + """
                    }
                }
                """;
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Snippet.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        boolean ok = javac.getTask(errors, null, null,
                List.of("-classpath", classpath, "-d", out.toString(), "--release", "17", "-proc:none"),
                null, List.of(file)).call();
        assertThat(ok).as("the snippet compiles:%n%s%n%s", errors, source).isTrue();
        assertThat(new File(out.toFile(), "Snippet.class")).exists();
    }
}
