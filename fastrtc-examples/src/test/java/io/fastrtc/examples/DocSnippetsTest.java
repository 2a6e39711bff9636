package io.fastrtc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ```java} block of the Markdown docs (README.md, SECURITY.md, DEPLOYMENT.md, docs/,
 * the modules' READMEs) compiles against the build, so the docs cannot drift from the API.
 *
 * <p>The convention: a block is the body of a method of a class that imports every API package of
 * the project (and {@code Javalin}, Micrometer's Prometheus registry, {@code java.util}, {@code java.time}, {@code java.net},
 * {@code java.net.http}, {@code Path}, {@code IOException}, {@code UTF_8}, Spring's {@code @Bean}). An HTML comment on the line before
 * the block can say more:
 * <ul>
 *   <li>{@code <!-- given: Stream stream; VideoHandler handler; -->}: Java declarations put in the
 *       class before the method, for what the block uses but does not show (fields, helper methods);</li>
 *   <li>{@code <!-- snippet: members -->}: the block is class members (e.g. a Spring {@code @Bean} method);</li>
 *   <li>{@code <!-- snippet: skip, because ... -->}: not compiled; the reason is required.</li>
 * </ul>
 */
class DocSnippetsTest {

    private static final Pattern BLOCK = Pattern.compile(
            "(?:<!--\\s*(?<note>(?:given|snippet):(?:(?!-->).)*?)\\s*-->\\s*\\n)?```java\\n(?<code>.*?)```",
            Pattern.DOTALL);
    private static final List<String> IMPORTS = List.of("io.fastrtc.stream.*", "io.fastrtc.audio.*",
            "io.fastrtc.video.*", "io.fastrtc.handler.*", "io.fastrtc.turn.*", "io.fastrtc.turn.silero.*", "io.fastrtc.turn.smartturn.*",
            "io.fastrtc.speech.*", "io.fastrtc.speech.freetts.*", "io.fastrtc.speech.openai.*",
            "io.fastrtc.speech.pocketsphinx.*", "io.fastrtc.speech.deepgram.*", "io.fastrtc.speech.elevenlabs.*", "io.fastrtc.ice.*", "io.fastrtc.credentials.*", "io.fastrtc.cluster.*",
            "io.fastrtc.security.*", "io.fastrtc.telephone.*", "io.fastrtc.ui.*", "io.fastrtc.transport.*",
            "io.fastrtc.javalin.*", "io.fastrtc.realtime.*", "io.fastrtc.redis.*", "io.fastrtc.spring.*", "io.fastrtc.telemetry.*",
            "io.fastrtc.opentelemetry.*", "io.opentelemetry.api.OpenTelemetry", "io.javalin.Javalin", "java.time.*",
            "java.util.*", "java.net.*", "java.net.http.*", "java.nio.file.Path", "java.io.IOException", "org.springframework.context.annotation.Bean",
            "io.fastrtc.micrometer.*", "io.micrometer.prometheusmetrics.*",
            "static java.nio.charset.StandardCharsets.UTF_8");

    record Snippet(Path file, int line, String note, String code) {
        String name() {
            return file + ":" + line;
        }
    }

    @Test
    void everyJavaSnippetInTheDocsCompiles() throws IOException {
        List<Snippet> snippets = snippets();
        assertThat(snippets).as("snippets found").hasSizeGreaterThan(15);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < snippets.size(); i++) {
            Snippet s = snippets.get(i);
            if (s.note().startsWith("snippet: skip")) {
                if (!s.note().matches("snippet: skip,? because \\S.*")) {
                    problems.add(s.name() + ": a skipped snippet says why (<!-- snippet: skip, because ... -->)");
                }
                continue;
            }
            // One at a time: javac reports no other error of a batch with a syntax error in it.
            problems.addAll(compile(source("Snippet" + i, wrap("Snippet" + i, s)), s));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void aSnippetThatDoesNotCompileIsReported() {
        Snippet broken = new Snippet(Path.of("README.md"), 1, "", "stream.mount(app);\n");
        List<String> problems = compile(source("Snippet0", wrap("Snippet0", broken)), broken);
        assertThat(problems).isNotEmpty().allSatisfy(p -> assertThat(p).startsWith("README.md:1: cannot find symbol"));
    }

    private static String wrap(String name, Snippet s) {
        StringBuilder java = new StringBuilder();
        IMPORTS.forEach(i -> java.append("import ").append(i).append(";\n"));
        java.append("@SuppressWarnings(\"all\")\nabstract class ").append(name).append(" {\n");
        if (s.note().startsWith("given:")) {
            java.append(s.note().substring("given:".length())).append('\n');
        }
        if (s.note().equals("snippet: members")) {
            java.append(s.code());
        } else {
            java.append("void snippet() throws Exception {\n").append(s.code()).append("}\n");
        }
        return java.append("}\n").toString();
    }

    private static List<String> compile(JavaFileObject source, Snippet snippet) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out;
        try {
            out = Files.createTempDirectory("snippets");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<String> options = List.of("-proc:none", "-d", out.toString(), "-classpath",
                System.getProperty("java.class.path"));
        javac.getTask(new StringWriter(), null, diagnostics, options, null, List.of(source)).call();
        List<String> problems = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                problems.add(snippet.name() + ": " + String.join(" ", d.getMessage(Locale.ROOT).lines().limit(2).toList()));
            }
        }
        return problems;
    }

    private static JavaFileObject source(String name, String code) {
        return new SimpleJavaFileObject(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        };
    }

    private static List<Snippet> snippets() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<Path> docs = new ArrayList<>();
        try (Stream<Path> top = Files.list(root)) {
            top.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        try (Stream<Path> files = Files.walk(root.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        try (Stream<Path> modules = Files.list(root)) {
            modules.map(m -> m.resolve("README.md")).filter(Files::exists).sorted().forEach(docs::add);
        }
        List<Snippet> snippets = new ArrayList<>();
        for (Path doc : docs) {
            String text = Files.readString(doc);
            Matcher m = BLOCK.matcher(text);
            while (m.find()) {
                int line = (int) text.substring(0, m.start("code")).lines().count();
                String note = m.group("note") == null ? "" : m.group("note").trim();
                snippets.add(new Snippet(root.relativize(doc), line, note, m.group("code")));
            }
        }
        return snippets;
    }
}
