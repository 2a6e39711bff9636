package io.fastrtc.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fastrtc.telemetry.SessionTelemetry;
import io.fastrtc.telemetry.Transport;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Grafana dashboard, the Prometheus alerts and DEPLOYMENT.md name only series and labels that
 * {@link MicrometerTelemetry} really exports (read from a Prometheus scrape), so they cannot drift
 * from the code; and every meter is on the dashboard.
 */
class DeployFilesTest {

    private static final Pattern SERIES = Pattern.compile("\\bfastrtc_[a-z_]+");
    /** Labels in {@code by (...)}, {@code without (...)} and matchers {@code {name=...}}. */
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
    private static final Pattern MATCHER = Pattern.compile("[{,]\\s*([a-z_]+)\\s*(?:=~|!~|!=|=)");
    /** Labels Prometheus adds to every scraped series, and the bucket bound. */
    private static final Set<String> SCRAPE_LABELS = Set.of("instance", "job", "le");

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    /** A scrape after every kind of event, so every series exists. */
    static Scrape fullScrape() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MicrometerTelemetry telemetry = new MicrometerTelemetry(registry);
        telemetry.runtimeStarted(100);
        telemetry.offerRefused(Transport.WEBRTC, "concurrency_limit_reached");
        SessionTelemetry s = telemetry.sessionStarted(Transport.WEBRTC, "audio", "id");
        s.connected(Duration.ofMillis(200));
        s.handlerCall(SessionTelemetry.Call.AUDIO_CHUNK, 1_000_000);
        s.handlerFailed(new IllegalStateException());
        s.framesDropped(1);
        s.audioQuality(Duration.ofMillis(50), 0.01);
        var turn = s.turnStarted();
        turn.firstAudio(Duration.ofMillis(600));
        turn.interrupted(Duration.ofMillis(200), Duration.ofSeconds(1));
        s.closed("client");
        return new Scrape(registry.scrape());
    }

    /** Labels of the scrape's samples. */
    static Set<String> labels(Scrape scrape) {
        Set<String> labels = new TreeSet<>(SCRAPE_LABELS);
        Matcher m = Pattern.compile("(?m)^fastrtc_[a-z_]+\\{([^}]*)}").matcher(scrape.text());
        while (m.find()) {
            for (String pair : m.group(1).split(",")) {
                labels.add(pair.substring(0, pair.indexOf('=')));
            }
        }
        return labels;
    }

    private static List<String> dashboardExpressions() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(ROOT.resolve("deploy/grafana/fastrtc-dashboard.json").toFile());
        assertThat(dashboard.path("title").asText()).isNotEmpty();
        assertThat(dashboard.path("uid").asText()).isNotEmpty();
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("targets")).as("targets of " + panel.path("title")).isNotEmpty();
            panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
        }
        dashboard.path("templating").path("list").forEach(v -> exprs.add(v.path("definition").asText()));
        return exprs;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> alertRules() throws Exception {
        Map<String, Object> file = new Yaml().load(Files.readString(ROOT.resolve("deploy/prometheus/fastrtc-alerts.yaml")));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }

    /** What in {@code exprs} names a series or a label the scrape does not have. */
    static List<String> unknown(List<String> exprs, Scrape scrape) {
        return unknown(exprs, scrape, scrape.names());
    }

    static List<String> unknown(List<String> exprs, Scrape scrape, Set<String> names) {
        Set<String> labels = labels(scrape);
        List<String> found = new ArrayList<>();
        for (String expr : exprs) {
            Matcher series = SERIES.matcher(expr);
            while (series.find()) {
                if (!names.contains(series.group())) {
                    found.add("series " + series.group());
                }
            }
            Matcher grouping = GROUPING.matcher(expr);
            while (grouping.find()) {
                for (String label : grouping.group(1).split(",")) {
                    if (!labels.contains(label.trim())) {
                        found.add("label " + label.trim());
                    }
                }
            }
            Matcher matcher = MATCHER.matcher(expr);
            while (matcher.find()) {
                if (!labels.contains(matcher.group(1))) {
                    found.add("label " + matcher.group(1));
                }
            }
        }
        return found;
    }

    @Test
    void theDashboardUsesOnlyExportedSeriesAndShowsEveryMeter() throws Exception {
        Scrape scrape = fullScrape();
        List<String> exprs = dashboardExpressions();
        assertThat(unknown(exprs, scrape)).isEmpty();
        String all = String.join("\n", exprs);
        for (String meter : List.of(MicrometerTelemetry.SESSIONS, MicrometerTelemetry.LIMIT, MicrometerTelemetry.REFUSED,
                MicrometerTelemetry.SETUP, MicrometerTelemetry.HANDLER, MicrometerTelemetry.HANDLER_ERRORS,
                MicrometerTelemetry.DROPPED, MicrometerTelemetry.TURN, MicrometerTelemetry.INTERRUPTION,
                MicrometerTelemetry.JITTER, MicrometerTelemetry.CONCEALED, MicrometerTelemetry.CLOSED)) {
            assertThat(all).as("the dashboard shows " + meter).contains(meter.replace('.', '_'));
        }
    }

    @Test
    void theAlertsUseOnlyExportedSeriesAndCoverTheIssuesList() throws Exception {
        Scrape scrape = fullScrape();
        List<Map<String, Object>> rules = alertRules();
        assertThat(rules).allSatisfy(rule -> {
            assertThat(rule).containsKeys("alert", "expr", "for", "labels", "annotations");
            assertThat((Map<String, Object>) rule.get("labels")).containsKey("severity");
            assertThat((Map<String, Object>) rule.get("annotations")).containsKey("summary");
        });
        List<String> exprs = rules.stream().map(r -> (String) r.get("expr")).toList();
        assertThat(unknown(exprs, scrape)).isEmpty();
        String all = String.join("\n", exprs);
        assertThat(all).contains("fastrtc_offers_refused_total", "fastrtc_sessions_limit",
                "fastrtc_audio_concealed_ratio", "fastrtc_turn_latency_seconds_bucket", "fastrtc_handler_errors_total",
                "fastrtc_frames_dropped_total");
    }

    @Test
    void deploymentDocNamesOnlyExportedSeries() throws Exception {
        String doc = Files.readString(ROOT.resolve("DEPLOYMENT.md"));
        assertThat(doc).contains("## Metrics and alerts");
        Scrape scrape = fullScrape();
        Set<String> names = new TreeSet<>(scrape.names());
        names.addAll(scrape.families()); // prose names a histogram by its family
        assertThat(unknown(List.of(doc), scrape, names).stream().filter(u -> u.startsWith("series"))).isEmpty();
    }

    @Test
    void aMisspelledSeriesOrLabelIsFound() {
        Scrape scrape = fullScrape();
        assertThat(unknown(List.of("sum by (transport, reason) (rate(fastrtc_offers_refused_total[5m]))"), scrape))
                .isEmpty();
        assertThat(unknown(List.of("sum by (tranport) (rate(fastrtc_offer_refused_total{reasn=\"x\"}[5m]))"), scrape))
                .containsExactlyInAnyOrder("series fastrtc_offer_refused_total", "label tranport", "label reasn");
    }
}
