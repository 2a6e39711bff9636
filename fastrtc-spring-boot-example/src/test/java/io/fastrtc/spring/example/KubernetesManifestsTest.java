package io.fastrtc.spring.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.spring.FastRtcProperties;
import io.fastrtc.stream.FastRtc;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests of {@code deploy/kubernetes} against the app they deploy, so they
 * cannot drift: they parse, the probes are paths the example app serves (readiness following
 * FastRTC's drain), the environment binds to the starter's properties, and the grace period covers
 * {@code preStop} plus the drain.
 */
class KubernetesManifestsTest {

    private static final Path DIR = Path.of("..", "deploy", "kubernetes");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node, String... path) {
        Object at = node;
        for (String key : path) {
            at = ((Map<String, Object>) at).get(key);
        }
        return (Map<String, Object>) at;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object node, String key) {
        return (List<Map<String, Object>>) ((Map<String, Object>) node).get(key);
    }

    private static List<Map<String, Object>> documents() throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (var files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (Reader in = Files.newBufferedReader(file)) {
                    for (Object doc : new Yaml().loadAll(in)) {
                        if (doc != null) {
                            Map<String, Object> m = map(doc);
                            m.put("_file", file.getFileName().toString());
                            docs.add(m);
                        }
                    }
                }
            }
        }
        return docs;
    }

    private static Map<String, Object> appDeployment() throws IOException {
        return documents().stream().filter(d -> d.get("kind").equals("Deployment")
                && map(d, "metadata").get("name").equals("fastrtc")).findFirst().orElseThrow();
    }

    private static Map<String, Object> appContainer(Map<String, Object> deployment) {
        return list(map(deployment, "spec", "template", "spec"), "containers").get(0);
    }

    private static Map<String, String> env(Map<String, Object> container) {
        return list(container, "env").stream().filter(e -> e.get("value") != null)
                .collect(Collectors.toMap(e -> (String) e.get("name"), e -> String.valueOf(e.get("value")),
                        (a, b) -> b, LinkedHashMap::new));
    }

    private static String probePath(Map<String, Object> container, String probe) {
        return (String) map(container, probe, "httpGet").get("path");
    }

    /** The container's environment as Spring Boot binds it (relaxed names, FASTRTC_PORTMIN -> fastrtc.port-min). */
    private static Binder binder(Map<String, String> env) {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new LinkedHashMap<>(env)));
        return new Binder(ConfigurationPropertySources.from(sources));
    }

    @Test
    void everyManifestIsKubernetesYaml() throws IOException {
        List<Map<String, Object>> docs = documents();
        assertThat(docs).extracting(d -> d.get("_file")).contains("fastrtc.yaml", "redis.yaml", "coturn.yaml");
        for (Map<String, Object> doc : docs) {
            assertThat(doc).as(doc.get("_file") + ": a Kubernetes object").containsKeys("apiVersion", "kind", "metadata");
            assertThat(map(doc, "metadata")).containsKey("name");
        }
        assertThat(docs).extracting(d -> d.get("kind")).contains("Deployment", "Service", "PodDisruptionBudget", "Secret");
    }

    @Test
    void theEnvironmentBindsToTheStarterAndTheGracePeriodCoversPreStopAndTheDrain() throws IOException {
        Map<String, Object> deployment = appDeployment();
        Map<String, Object> container = appContainer(deployment);
        Binder binder = binder(env(container));
        FastRtcProperties fastrtc = binder.bind("fastrtc", Bindable.of(FastRtcProperties.class)).get();
        assertThat(fastrtc.portMin()).isEqualTo(50000);
        assertThat(fastrtc.portMax()).isEqualTo(50199);
        assertThat(fastrtc.redis().uri()).isEqualTo("redis://fastrtc-redis:6379");
        assertThat(fastrtc.globalConcurrencyLimit()).isEqualTo(8);
        Duration drain = fastrtc.drainTimeout();
        assertThat(drain).isGreaterThanOrEqualTo(FastRtc.DEFAULT_DRAIN_TIMEOUT);
        Duration phase = binder.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class).get();
        assertThat(phase).as("Spring waits for the whole drain").isGreaterThan(drain);

        Map<String, Object> pod = map(deployment, "spec", "template", "spec");
        int grace = (Integer) pod.get("terminationGracePeriodSeconds");
        int preStop = (Integer) map(container, "lifecycle", "preStop", "sleep").get("seconds");
        assertThat(preStop).as("time for the endpoints to forget the pod").isBetween(2, 15);
        assertThat(Duration.ofSeconds(grace)).as("preStop + drain + closing the rest, before SIGKILL")
                .isGreaterThan(Duration.ofSeconds(preStop).plus(drain).plusSeconds(5));
        assertThat(Duration.ofSeconds(grace)).isGreaterThan(FastRtc.DEFAULT_DRAIN_TIMEOUT.plusSeconds(preStop));

        Map<String, Object> rolling = map(deployment, "spec", "strategy", "rollingUpdate");
        assertThat(rolling.get("maxUnavailable")).as("no capacity lost while one drains").isEqualTo(0);
        assertThat(pod.get("hostNetwork")).isEqualTo(true);
        assertThat(pod.get("dnsPolicy")).as("hostNetwork pods resolve cluster services").isEqualTo("ClusterFirstWithHostNet");
    }

    @Test
    void theProbesAndTheScrapeTargetAreTheApps() throws Exception {
        Map<String, Object> deployment = appDeployment();
        Map<String, Object> container = appContainer(deployment);
        int port = (Integer) list(container, "ports").get(0).get("containerPort");
        Map<String, Object> annotations = map(deployment, "spec", "template", "metadata", "annotations");
        assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", Integer.toString(port))
                .containsEntry("prometheus.io/path", "/actuator/prometheus");
        String ready = probePath(container, "readinessProbe");
        String live = probePath(container, "livenessProbe");
        assertThat(probePath(container, "startupProbe")).isEqualTo(live);

        Properties defaults = new Properties();
        try (InputStream in = FlipApplication.class.getResourceAsStream("/application.properties")) {
            defaults.load(in);
        }
        assertThat(defaults.getProperty("server.port", "8080")).as("the port the app listens on").isEqualTo(
                Integer.toString(port));

        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(FlipApplication.class)
                .properties("server.port=0", "spring.main.banner-mode=off").run()) {
            String base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
            assertThat(status(base + ready)).as(ready).isEqualTo(200);
            assertThat(status(base + live)).as(live).isEqualTo(200);

            app.getBean(FastRtc.class).drain(Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(10)).until(() -> status(base + ready) == 503);
            assertThat(status(base + live)).as("a draining pod is not restarted").isEqualTo(200);
        }
    }

    private static int status(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
