package io.fastrtc.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * README snippets kept verbatim in compiled test sources: the lines between {@code // README: begin}
 * and {@code // README: end}, de-indented, are what the README must show.
 */
public final class ReadmeSnippets {

    private ReadmeSnippets() {
    }

    /** The marked regions of {@code source} (a path relative to the module). */
    public static List<String> in(Path source) throws IOException {
        List<String> regions = new ArrayList<>();
        List<String> region = null;
        for (String line : Files.readAllLines(source)) {
            if (line.strip().equals("// README: begin")) {
                region = new ArrayList<>();
            } else if (line.strip().equals("// README: end")) {
                regions.add(dedent(region));
                region = null;
            } else if (region != null) {
                region.add(line);
            }
        }
        return regions;
    }

    /** The project README (the module's parent folder). */
    public static String readme() throws IOException {
        return Files.readString(Path.of("../README.md"));
    }

    private static String dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String l : lines) {
            out.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        }
        return out.toString();
    }
}
