package io.fastrtc.turn.smartturn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtSession;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.turn.TurnCompletionModel;
import java.io.File;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java snippets of this module's README and of the project README's turn detection and Smart Turn sections compile. */
class ReadmeSnippetTest {

    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);

    private static List<String> snippets(String markdown) {
        List<String> out = new ArrayList<>();
        Matcher matcher = JAVA_BLOCK.matcher(markdown);
        while (matcher.find()) {
            out.add(matcher.group(1));
        }
        return out;
    }

    /** A section of the project README, up to the next section. */
    private static String projectSection(String title) throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        int start = readme.indexOf(title);
        assertThat(start).as("the project README's section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 3);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    @Test
    void theReadmeSnippetsCompile(@TempDir Path output) throws Exception {
        List<String> snippets = new ArrayList<>(snippets(Files.readString(Path.of("README.md"))));
        snippets.addAll(snippets(projectSection("## Turn detection")));
        snippets.addAll(snippets(projectSection("## Turn-completion model (Smart Turn v3)")));
        assertThat(snippets).hasSize(3);
        for (int i = 0; i < snippets.size(); i++) {
            assertThat(compile("Snippet" + i, snippets.get(i), output)).as("compiling:%n%s", snippets.get(i)).isEmpty();
        }
    }

    @Test
    void aBrokenSnippetFailsToCompile(@TempDir Path output) {
        String wrongType = "SmartTurnV3 model = SmartTurnV3.builder(\"models/smart-turn-v3.2-cpu.onnx\").build();";
        assertThat(compile("Broken", wrongType, output)).contains("incompatible types");
    }

    /**
     * Compiles the snippet as the body of a method given the {@code turn} it speaks of; returns the
     * compiler's errors, empty when it compiled.
     */
    private static String compile(String name, String snippet, Path output) {
        String source = "import io.fastrtc.audio.AudioFrame;\n"
                + "import io.fastrtc.turn.*;\n"
                + "import io.fastrtc.turn.smartturn.*;\n"
                + "import java.nio.file.Path;\n"
                + "import java.time.Duration;\n"
                + "class " + name + " {\n  static void run(AudioFrame turn) throws Exception {\n" + snippet + "\n  }\n}\n";
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler).as("a JDK's compiler").isNotNull();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + name + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        String classPath = Stream.of(SmartTurnV3.class, TurnCompletionModel.class, AudioFrame.class, OrtSession.class)
                .map(ReadmeSnippetTest::location).distinct().collect(Collectors.joining(File.pathSeparator));
        StringWriter diagnostics = new StringWriter();
        boolean compiled = compiler.getTask(diagnostics, null, null,
                List.of("-classpath", classPath, "-d", output.toString(), "-proc:none"), null, List.of(file)).call();
        return compiled ? "" : diagnostics.toString();
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
