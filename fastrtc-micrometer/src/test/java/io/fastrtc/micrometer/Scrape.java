package io.fastrtc.micrometer;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Prometheus text scrape, read the way Prometheus reads it: series names, labels and values. */
record Scrape(String text) {

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})?\\s+(\\S+).*");

    /** The sum of the samples of {@code name} whose labels include {@code labels}; 0 when none. */
    double value(String name, Map<String, String> labels) {
        double sum = 0;
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.matches() || !m.group(1).equals(name)) {
                continue;
            }
            String have = m.group(3) == null ? "" : m.group(3);
            if (labels.entrySet().stream().allMatch(e -> Arrays.asList(have.split(","))
                    .contains(e.getKey() + "=\"" + e.getValue() + "\""))) {
                sum += Double.parseDouble(m.group(4));
            }
        }
        return sum;
    }

    /** Every metric family ({@code # TYPE} line): a histogram's base name, a counter's without {@code _total}. */
    Set<String> families() {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(?m)^# TYPE (\\S+) ").matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Every series name in the scrape. */
    Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.matches()) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
