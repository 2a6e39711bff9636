package io.fastrtc.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What a developer new to the project reads first: the README, the docs and the Javadoc. */
class ReadmeTest {

    private static final Path ROOT = root();

    @Test
    void firstScreenNamesTheArtifactHowToInstallItAndTheSnippetsImports() throws Exception {
        String readme = read(ROOT.resolve("README.md"));
        String firstScreen = readme.substring(0, readme.indexOf("\n---\n"));
        String version = projectVersion();
        assertThat(firstScreen)
                .contains("<groupId>io.fastrtc</groupId>", "<artifactId>fastrtc-javalin</artifactId>",
                        "<version>" + version + "</version>", "mvn -DskipTests install")
                // right after the two commands, before the setup paragraph
                .containsPattern("(?s)scripts/test[^\n]*\n```\n\n\\*\\*Using it in your project");

        String quickstart = readme.substring(readme.indexOf("\n---\n"), readme.indexOf("## Concepts"));
        Matcher imports = Pattern.compile("`((?:io|java)\\.[a-z.]+\\.[A-Z]\\w*)`").matcher(quickstart);
        List<String> named = new ArrayList<>();
        while (imports.find()) {
            named.add(imports.group(1));
        }
        assertThat(named).contains("io.fastrtc.stream.Stream", "io.fastrtc.ui.Slider", "io.fastrtc.javalin.FastRtcPlugin",
                "io.javalin.Javalin", "java.time.Duration", "java.util.Map", "io.fastrtc.turn.ReplyOnPause",
                "io.fastrtc.turn.Reply");
        for (String name : named) {
            Class.forName(name, false, getClass().getClassLoader()); // a wrong package fails here
        }
    }

    @Test
    void firstSnippetIsCompiledVerbatimAndUsesOrdinaryJavalinRoutes() throws Exception {
        String readme = read(ROOT.resolve("README.md"));
        int start = readme.indexOf("```java\n") + "```java\n".length();
        String snippet = readme.substring(start, readme.indexOf("```", start));

        String source = read(ROOT.resolve("fastrtc-javalin/src/test/java/io/fastrtc/docs/ReadmeQuickstart.java"));
        String marked = source.substring(source.indexOf("// README begin\n") + "// README begin\n".length(),
                source.indexOf("        // README end"));
        String compiled = marked.lines().map(l -> l.isBlank() ? "" : l.substring(8))
                .collect(Collectors.joining("\n", "", "\n"));
        assertThat(compiled).isEqualTo(snippet);

        for (Path doc : markdown()) {
            assertThat(read(doc).contains("unsafe.routes")).as("%s uses Javalin's unsafe API", doc).isFalse();
        }
    }

    @Test
    void firstSnippetServesTheOfferRouteAndTheHook() throws Exception {
        ReadmeQuickstart.Running running = ReadmeQuickstart.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> hook = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:8000/input_hook"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"webrtc_id\":\"nobody\",\"threshold\":0.6}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(hook.statusCode()).as(hook.body()).isEqualTo(404);
            HttpResponse<String> config = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:8000/webrtc/rtc-configuration")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(config.statusCode()).isEqualTo(200);
            assertThat(config.body()).contains("iceServers");
        } finally {
            running.app().stop();
            running.stream().close();
        }
    }

    /** The README and Javadoc once cited numbered quirks and sections of a document the repository lacks. */
    @Test
    void noReferencesToAnInventoryOutsideTheRepository() throws IOException {
        Pattern citation = Pattern.compile("\\bQ\\d+\\b|inventory §|quirk Q");
        List<Path> files = new ArrayList<>(markdown());
        try (Stream<Path> sources = Files.walk(ROOT)) {
            sources.filter(p -> p.toString().contains("/src/main/") && !p.toString().contains("/target/"))
                    .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".js")
                            || p.toString().endsWith(".html") || p.toString().endsWith(".properties"))
                    .forEach(files::add);
        }
        assertThat(files).hasSizeGreaterThan(100);
        for (Path file : files) {
            Matcher m = citation.matcher(read(file));
            String found = m.find() ? m.group() : null;
            assertThat(found).as("%s cites a numbered quirk or section of an absent document", ROOT.relativize(file))
                    .isNull();
        }
    }

    @Test
    void springBootExampleStartsWithoutRunningTheTestSuites() throws IOException {
        Path script = ROOT.resolve("scripts/demo-spring");
        assertThat(Files.isExecutable(script)).as("scripts/demo-spring").isTrue();
        String mvn = read(script).lines().filter(l -> l.startsWith("exec ") && l.contains(" mvn ")).findFirst().orElse("");
        assertThat(mvn).contains("-Pdemo", "-pl fastrtc-spring-boot-example", "-am", "-DskipTests", "package");
        assertThat(read(ROOT.resolve("scripts/demo"))).contains("scripts/setup");
        assertThat(read(script)).contains("scripts/setup");

        String readme = read(ROOT.resolve("README.md"));
        assertThat(readme).contains("scripts/demo-spring")
                .doesNotContain("mvn -Pdemo -pl fastrtc-spring-boot-example -am package");
    }

    /** README, SECURITY, DEPLOYMENT, BENCHMARKS, docs/ and the modules' READMEs. */
    private static List<Path> markdown() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT, 3)) {
            return files.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/reports/")
                            && !p.toString().contains("/node_modules/"))
                    .toList();
        }
    }

    private static String projectVersion() throws IOException {
        Matcher m = Pattern.compile("<artifactId>fastrtc-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(read(ROOT.resolve("pom.xml")));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file);
    }

    private static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("scripts/demo"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("run from inside the repository");
        }
        return dir;
    }
}
