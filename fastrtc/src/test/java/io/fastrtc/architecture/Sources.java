package io.fastrtc.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The main Java sources of the project's modules, read as text: packages, imports and what they name. */
final class Sources {

    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)\\s*;", Pattern.MULTILINE);
    /** A qualified name of one of our types written in the code, e.g. {@code io.fastrtc.engine.VideoInput}. */
    private static final Pattern QUALIFIED = Pattern.compile("\\b(io\\.fastrtc(?:\\.[a-z]\\w*)+)\\.[A-Z]");
    private static final Pattern COMMENTS_AND_STRINGS = Pattern.compile("//[^\\n]*+|/\\*(?:[^*]|\\*(?!/))*+\\*/|\"(?:\\\\.|[^\"\\\\\\n])*+\"",
            Pattern.DOTALL);

    /** One source file. */
    record Unit(String module, Path file, String pkg, List<String> imports, Set<String> referenced, long lines) {
    }

    private Sources() {
    }

    /** The directory holding the parent pom and the modules. */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.exists(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("fastrtc")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("the project root (with fastrtc/ and pom.xml) is not above " + Path.of(""));
        }
        return dir;
    }

    /** Every module's {@code src/main/java} file, by module directory name. */
    static List<Unit> mainSources() {
        List<Unit> units = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root())) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main/java"))).sorted().toList()) {
                try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                        units.add(read(module.getFileName().toString(), f));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return units;
    }

    private static Unit read(String module, Path file) throws IOException {
        String text = Files.readString(file);
        Matcher p = PACKAGE.matcher(text);
        String pkg = p.find() ? p.group(1) : "";
        List<String> imports = new ArrayList<>();
        Matcher i = IMPORT.matcher(text);
        while (i.find()) {
            imports.add(i.group(1));
        }
        Set<String> referenced = new TreeSet<>();
        for (String imported : imports) {
            if (imported.startsWith("io.fastrtc.")) {
                referenced.add(packageOf(imported));
            }
        }
        Matcher q = QUALIFIED.matcher(COMMENTS_AND_STRINGS.matcher(text).replaceAll(""));
        while (q.find()) {
            referenced.add(q.group(1));
        }
        referenced.remove(pkg);
        return new Unit(module, file, pkg, imports, referenced, text.lines().count());
    }

    /** The package of an imported type (or of a static import's type), by Java's naming convention. */
    static String packageOf(String imported) {
        String[] parts = imported.split("\\.");
        StringBuilder pkg = new StringBuilder();
        for (String part : parts) {
            if (!part.isEmpty() && Character.isUpperCase(part.charAt(0))) {
                break;
            }
            pkg.append(pkg.length() == 0 ? "" : ".").append(part);
        }
        return pkg.toString();
    }

    /** Package to the packages of ours it uses. */
    static Map<String, Set<String>> packageGraph(List<Unit> units) {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Unit u : units) {
            graph.computeIfAbsent(u.pkg(), k -> new TreeSet<>()).addAll(u.referenced());
        }
        return graph;
    }

    /** The strongly connected groups of more than one package (Tarjan): each is an import cycle. */
    static List<Set<String>> cycles(Map<String, Set<String>> graph) {
        return new Tarjan(graph).run();
    }

    private static final class Tarjan {
        private final Map<String, Set<String>> graph;
        private final Map<String, Integer> index = new LinkedHashMap<>();
        private final Map<String, Integer> low = new LinkedHashMap<>();
        private final List<String> stack = new ArrayList<>();
        private final List<Set<String>> found = new ArrayList<>();

        Tarjan(Map<String, Set<String>> graph) {
            this.graph = graph;
        }

        List<Set<String>> run() {
            for (String v : graph.keySet()) {
                if (!index.containsKey(v)) {
                    visit(v);
                }
            }
            return found;
        }

        private void visit(String v) {
            index.put(v, index.size());
            low.put(v, index.get(v));
            stack.add(v);
            for (String w : graph.getOrDefault(v, Set.of())) {
                if (!index.containsKey(w)) {
                    visit(w);
                    low.put(v, Math.min(low.get(v), low.get(w)));
                } else if (stack.contains(w)) {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
            }
            if (low.get(v).equals(index.get(v))) {
                Set<String> group = new TreeSet<>();
                String w;
                do {
                    w = stack.remove(stack.size() - 1);
                    group.add(w);
                } while (!w.equals(v));
                if (group.size() > 1) {
                    found.add(group);
                }
            }
        }
    }
}
