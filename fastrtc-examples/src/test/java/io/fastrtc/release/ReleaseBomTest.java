package io.fastrtc.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * fastrtc-bom must name every module the release publishes (a reactor module that does not set
 * {@code maven.deploy.skip}), at the project's version, and must not inherit the parent's
 * dependencyManagement: read from the reactor's poms, so a new module cannot be forgotten.
 */
class ReleaseBomTest {

    static final String BOM = "fastrtc-bom";

    @Test
    void theBomListsEveryPublishedModuleAtTheProjectVersion() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertThat(root.resolve("pom.xml")).as("the reactor's pom, one level above this module").exists();
        assertThat(published(root)).as("published modules").contains("fastrtc", "fastrtc-spring-boot-starter")
                .doesNotContain("fastrtc-examples", "fastrtc-spring-boot-example", "fastrtc-bench", BOM);
        assertThat(problems(root)).isEmpty();
    }

    @Test
    void aForgottenModuleAWrongVersionAndAParentAreReported(@TempDir Path root) throws Exception {
        write(root.resolve("pom.xml"), "<project><version>1.0</version><modules>"
                + "<module>lib</module><module>other</module><module>demo</module><module>" + BOM + "</module>"
                + "</modules></project>");
        write(root.resolve("lib/pom.xml"), "<project><artifactId>lib</artifactId></project>");
        write(root.resolve("other/pom.xml"), "<project><artifactId>other</artifactId></project>");
        write(root.resolve("demo/pom.xml"), "<project><artifactId>demo</artifactId>"
                + "<properties><maven.deploy.skip>true</maven.deploy.skip></properties></project>");
        write(root.resolve(BOM + "/pom.xml"), "<project><parent><artifactId>p</artifactId></parent><artifactId>" + BOM + "</artifactId>"
                + "<version>0.9</version><dependencyManagement><dependencies>"
                + "<dependency><groupId>io.fastrtc</groupId><artifactId>lib</artifactId><version>1.0</version></dependency>"
                + "</dependencies></dependencyManagement></project>");

        assertThat(published(root)).containsExactly("lib", "other");
        assertThat(problems(root)).containsExactlyInAnyOrder(
                BOM + " has a parent: importing it would bring the parent's dependencyManagement along",
                BOM + "'s version 0.9 is not the project's 1.0",
                "lib is listed at 1.0, not ${project.version}",
                "other is published but missing from " + BOM);
    }

    /** What is wrong with the BOM of the reactor at {@code root}; empty when nothing. */
    static List<String> problems(Path root) throws Exception {
        Element bom = pom(root.resolve(BOM));
        List<String> found = new ArrayList<>();
        if (child(bom, "parent").isPresent()) {
            found.add(BOM + " has a parent: importing it would bring the parent's dependencyManagement along");
        }
        String version = text(pom(root), "version");
        if (!version.equals(text(bom, "version"))) {
            found.add(BOM + "'s version " + text(bom, "version") + " is not the project's " + version);
        }
        List<String> listed = new ArrayList<>();
        Optional<Element> dependencies = child(bom, "dependencyManagement").flatMap(d -> child(d, "dependencies"));
        for (Element d : dependencies.map(d -> children(d, "dependency")).orElse(List.of())) {
            listed.add(text(d, "artifactId"));
            if (!"io.fastrtc".equals(text(d, "groupId"))) {
                found.add(text(d, "artifactId") + " is listed under group " + text(d, "groupId"));
            }
            if (!"${project.version}".equals(text(d, "version"))) {
                found.add(text(d, "artifactId") + " is listed at " + text(d, "version") + ", not ${project.version}");
            }
        }
        for (String module : published(root)) {
            if (!listed.contains(module)) {
                found.add(module + " is published but missing from " + BOM);
            }
        }
        return found;
    }

    /** The artifactIds of the reactor's modules that a release deploys, the BOM aside. */
    static List<String> published(Path root) throws Exception {
        List<String> out = new ArrayList<>();
        Element modules = child(pom(root), "modules").orElseThrow();
        for (Element module : children(modules, "module")) {
            Element pom = pom(root.resolve(module.getTextContent().trim()));
            String skip = child(pom, "properties").map(p -> text(p, "maven.deploy.skip")).orElse("");
            String artifactId = text(pom, "artifactId");
            if (!skip.equals("true") && !artifactId.equals(BOM)) {
                out.add(artifactId);
            }
        }
        return out;
    }

    private static Element pom(Path dir) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(dir.resolve("pom.xml").toFile()).getDocumentElement();
    }

    private static String text(Element parent, String name) {
        return child(parent, name).map(e -> e.getTextContent().trim()).orElse("");
    }

    private static Optional<Element> child(Element parent, String name) {
        return children(parent, name).stream().findFirst();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static void write(Path file, String xml) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, xml);
    }
}
