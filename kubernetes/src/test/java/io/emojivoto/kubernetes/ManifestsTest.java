package io.emojivoto.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * No cluster here, so everything that can be checked without one is: strict parsing against the
 * Kubernetes model, and the consistency of the manifests with each other and with the code.
 */
class ManifestsTest {

    private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    private static final List<String> FILES = List.of("tracing.yml", "emojivoto.yml", "ingress.yml");
    private static final Map<String, List<HasMetadata>> byFile = new LinkedHashMap<>();
    private static final List<HasMetadata> all = new ArrayList<>();

    @BeforeAll
    static void parse() throws IOException {
        KubernetesSerialization serialization = new KubernetesSerialization();
        for (String file : FILES) {
            try (InputStream in = Files.newInputStream(ROOT.resolve(file))) {
                Object parsed = serialization.unmarshal(in);
                @SuppressWarnings("unchecked")
                List<HasMetadata> items = parsed instanceof List<?> list ? (List<HasMetadata>) list : List.of((HasMetadata) parsed);
                byFile.put(file, items);
                all.addAll(items);
            }
        }
    }

    private static <T> List<T> all(Class<T> type) {
        return all.stream().filter(type::isInstance).map(type::cast).toList();
    }

    // ---- strict parsing -------------------------------------------------------------------

    @Test
    void every_document_and_every_field_is_known_to_the_kubernetes_model() {
        List<String> problems = new ArrayList<>();
        for (HasMetadata item : all) {
            String where = item.getKind() + "/" + item.getMetadata().getName();
            if (item instanceof GenericKubernetesResource) {
                problems.add(where + ": unknown apiVersion/kind " + item.getApiVersion() + " " + item.getKind());
            } else {
                walk(item, where, problems, new HashSet<>());
            }
        }
        assertThat(problems).isEmpty();
        assertThat(byFile.get("tracing.yml")).hasSize(10);
        assertThat(byFile.get("emojivoto.yml")).hasSize(13);
        assertThat(byFile.get("ingress.yml")).hasSize(5);
    }

    /** fabric8 keeps unknown keys in additionalProperties: any there is a typo or a wrong place. */
    private static void walk(Object node, String path, List<String> problems, Set<Object> seen) {
        if (node == null || node instanceof String || node instanceof Number || node instanceof Boolean
                || node instanceof Enum<?> || node instanceof IntOrString || !seen.add(node)) {
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, problems, seen));
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8")) {
            return;
        }
        try {
            for (PropertyDescriptor property : Introspector.getBeanInfo(node.getClass()).getPropertyDescriptors()) {
                Method getter = property.getReadMethod();
                if (getter == null || getter.getParameterCount() > 0 || property.getName().equals("class")) {
                    continue;
                }
                Object value = getter.invoke(node);
                if (property.getName().equals("additionalProperties")) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        problems.add(path + ": unknown field(s) " + extra.keySet());
                    }
                } else {
                    walk(value, path + "." + property.getName(), problems, seen);
                }
            }
        } catch (ReflectiveOperationException | java.beans.IntrospectionException e) {
            problems.add(path + ": " + e);
        }
    }

    // ---- consistency ----------------------------------------------------------------------

    @Test
    void deployments_select_their_own_pods_and_services_reach_a_named_container_port() {
        for (Deployment d : all(Deployment.class)) {
            assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).as(d.getMetadata().getName())
                    .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
        }
        for (Service service : all(Service.class)) {
            List<Deployment> targets = all(Deployment.class).stream()
                    .filter(d -> d.getMetadata().getNamespace().equals(service.getMetadata().getNamespace()))
                    .filter(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                            .containsAll(service.getSpec().getSelector().entrySet()))
                    .toList();
            assertThat(targets).as("pods of Service " + service.getMetadata().getName()).hasSize(1);
            Set<String> containerPorts = new HashSet<>();
            targets.get(0).getSpec().getTemplate().getSpec().getContainers().forEach(c -> c.getPorts().forEach(p -> {
                containerPorts.add(p.getName());
                containerPorts.add(Integer.toString(p.getContainerPort()));
            }));
            for (ServicePort port : service.getSpec().getPorts()) {
                IntOrString target = port.getTargetPort();
                String key = target.getStrVal() != null ? target.getStrVal() : Integer.toString(target.getIntVal());
                assertThat(containerPorts).as("Service " + service.getMetadata().getName() + " targetPort " + key).contains(key);
            }
        }
    }

    @Test
    void pods_run_as_non_root_with_read_only_root_filesystems_and_no_capabilities() {
        for (Deployment d : all(Deployment.class)) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(d.getMetadata().getName()).isTrue();
            for (Container c : pod.getContainers()) {
                String where = d.getMetadata().getName() + "/" + c.getName();
                assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(where).isTrue();
                assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(where).isFalse();
                assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(where).containsExactly("ALL");
                assertThat(c.getSecurityContext().getCapabilities().getAdd()).as(where).isNullOrEmpty();
                assertThat(c.getSecurityContext().getPrivileged()).as(where).isNotEqualTo(Boolean.TRUE);
                assertThat(c.getResources().getLimits()).as(where).containsKey("memory");
                assertThat(c.getResources().getRequests()).as(where).containsKeys("memory", "cpu");
            }
        }
    }

    @Test
    void every_image_of_ours_is_one_the_build_produces_with_the_name_and_tag_of_the_pom() throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        String registry = tag(pom, "image.registry");
        String tag = tag(pom, "image.tag");
        Set<String> ours = new HashSet<>();
        for (Deployment d : all(Deployment.class)) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                if (c.getImage().startsWith(registry + "/")) {
                    String module = c.getImage().substring(registry.length() + 1, c.getImage().lastIndexOf(':'));
                    assertThat(c.getImage()).isEqualTo(registry + "/" + module + ":" + tag);
                    assertThat(Files.readString(ROOT.resolve(module).resolve("pom.xml")))
                            .as(module + " builds an image").contains("<jib.skip>false</jib.skip>");
                    ours.add(module);
                } else {
                    assertThat(c.getImage()).as("third-party images are pinned").matches(".+:v?\\d+(\\.\\d+)+(-\\w+)?");
                }
            }
        }
        assertThat(ours).containsExactlyInAnyOrder("emoji-svc", "voting-svc", "web-svc", "vote-bot", "proxy");
    }

    private static String tag(String xml, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(xml);
        assertThat(m.find()).as(name + " in pom.xml").isTrue();
        return m.group(1).trim();
    }

    @Test
    void every_environment_variable_is_one_the_app_reads() throws IOException {
        Map<String, Set<String>> known = new LinkedHashMap<>();
        known.put("emoji-svc", springVariables("emoji-svc"));
        known.put("voting-svc", springVariables("voting-svc"));
        known.put("web-svc", springVariables("web-svc"));
        known.put("proxy", javaVariables("proxy/src/main/java/io/emojivoto/proxy/ProxyConfig.java"));
        known.put("vote-bot", javaVariables("vote-bot/src/main/java/io/emojivoto/bot/BotConfig.java"));
        Set<String> nginx = new HashSet<>();
        Matcher env = Pattern.compile("(?m)^env (\\w+);").matcher(Files.readString(ROOT.resolve("ingress/nginx/conf/nginx.conf")));
        while (env.find()) {
            nginx.add(env.group(1));
        }
        known.put("ingress", nginx);
        for (Deployment d : all(Deployment.class)) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                String part = c.getImage().contains("/openresty") ? "ingress"
                        : c.getImage().substring(c.getImage().lastIndexOf('/') + 1, c.getImage().lastIndexOf(':'));
                if (!known.containsKey(part) || c.getEnv() == null) {
                    continue;
                }
                for (EnvVar var : c.getEnv()) {
                    if (var.getName().equals("JAVA_TOOL_OPTIONS")) {
                        continue; // read by the JVM itself
                    }
                    assertThat(known.get(part)).as(d.getMetadata().getName() + "/" + c.getName() + " env " + var.getName())
                            .contains(var.getName());
                }
            }
        }
    }

    /** ${NAME…} placeholders of the app's configuration, plus Spring's own keys set through relaxed binding. */
    private static Set<String> springVariables(String module) throws IOException {
        Set<String> names = new HashSet<>();
        List<Path> files = List.of(ROOT.resolve(module).resolve("src/main/resources/application.properties"),
                ROOT.resolve("service-common/src/main/resources/emojivoto/service-defaults.properties"));
        for (Path file : files) {
            String text = Files.readString(file);
            Matcher placeholder = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]").matcher(text);
            while (placeholder.find()) {
                names.add(placeholder.group(1));
            }
            Matcher key = Pattern.compile("(?m)^([a-z][a-z0-9.\\-]*)=").matcher(text);
            while (key.find()) {
                names.add(key.group(1).replace('.', '_').replace("-", "").toUpperCase());
            }
            Matcher documented = Pattern.compile("set ([A-Z][A-Z0-9_]+)=").matcher(text);
            while (documented.find()) {
                names.add(documented.group(1));
            }
        }
        return names;
    }

    /** The names a plain-Java part reads from its environment map. */
    private static Set<String> javaVariables(String source) throws IOException {
        Set<String> names = new HashSet<>();
        Matcher m = Pattern.compile("env\\.(?:get|getOrDefault)\\(\"([A-Z_]+)\"").matcher(Files.readString(ROOT.resolve(source)));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void the_ingress_config_maps_hold_exactly_the_files_under_ingress_nginx() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        Path nginx = ROOT.resolve("ingress/nginx");
        try (Stream<Path> walk = Files.walk(nginx)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                files.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        Map<String, String> inConfigMaps = new LinkedHashMap<>();
        for (ConfigMap cm : all(ConfigMap.class)) {
            if (List.of("ingress-nginx", "ingress-lua").contains(cm.getMetadata().getName())) {
                inConfigMaps.putAll(cm.getData());
            }
        }
        assertThat(inConfigMaps.keySet()).containsExactlyInAnyOrderElementsOf(files.keySet());
        files.forEach((name, content) -> assertThat(inConfigMaps.get(name)).as(name).isEqualTo(content));
    }

    @Test
    private static int metricsPort(Map<String, Object> service) {
        Map<String, Object> reader = map(list(map(map(service.get("telemetry")).get("metrics")).get("readers")).get(0));
        return ((Number) map(map(map(reader.get("pull")).get("exporter")).get("prometheus")).get("port")).intValue();
    }

    @Test
    void the_collector_receives_what_the_apps_send_and_sends_to_jaeger() {
        ConfigMap config = all(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals("collector-config"))
                .findFirst().orElseThrow();
        Map<String, Object> collector = new Yaml().load(config.getData().get("collector.yaml"));
        Map<String, Object> receivers = map(collector.get("receivers"));
        Map<String, Object> processors = map(collector.get("processors"));
        Map<String, Object> exporters = map(collector.get("exporters"));
        Map<String, Object> service = map(collector.get("service"));
        Map<String, Object> traces = map(map(service.get("pipelines")).get("traces"));
        assertThat(receivers.keySet()).containsExactlyInAnyOrderElementsOf(list(traces.get("receivers"))).contains("zipkin", "otlp");
        assertThat(processors.keySet()).containsExactlyInAnyOrderElementsOf(list(traces.get("processors")));
        assertThat(list(traces.get("processors"))).containsExactly("memory_limiter", "batch"); // memory_limiter first
        assertThat(list(traces.get("exporters"))).containsExactlyInAnyOrder("otlp", "spanmetrics");
        assertThat(collector).as("no extension: the contrib image and Jaeger's build share no health check")
                .doesNotContainKey("extensions");

        int zipkinPort = port(map(receivers.get("zipkin")).get("endpoint").toString());
        Service collectorService = service("tracing", "collector");
        assertThat(servicePort(collectorService, "zipkin")).isEqualTo(zipkinPort);
        assertThat(containerPort("collector", "zipkin")).isEqualTo(zipkinPort);
        assertThat(containerPort("collector", "metrics")).as("the probes read the collector's own metrics")
                .isEqualTo(metricsPort(service));

        String jaeger = map(exporters.get("otlp")).get("endpoint").toString();
        assertThat(jaeger).isEqualTo("jaeger.tracing:" + servicePort(service("tracing", "jaeger"), "otlp-grpc"));

        // Jaeger's configuration: OTLP in on its Service's port, a bounded store, the UI and health on its container's ports.
        ConfigMap jaegerConfig = all(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals("jaeger-config"))
                .findFirst().orElseThrow();
        Map<String, Object> jaegerYaml = new Yaml().load(jaegerConfig.getData().get("jaeger.yaml"));
        Map<String, Object> jaegerExtensions = map(jaegerYaml.get("extensions"));
        Map<String, Object> otlp = map(map(map(jaegerYaml.get("receivers")).get("otlp")).get("protocols"));
        assertThat(port(map(otlp.get("grpc")).get("endpoint").toString()))
                .isEqualTo(servicePort(service("tracing", "jaeger"), "otlp-grpc")).isEqualTo(containerPort("jaeger", "otlp-grpc"));
        Map<String, Object> query = map(jaegerExtensions.get("jaeger_query"));
        assertThat(port(map(query.get("http")).get("endpoint").toString())).isEqualTo(containerPort("jaeger", "ui"));
        assertThat(port(map(map(jaegerExtensions.get("healthcheckv2")).get("http")).get("endpoint").toString()))
                .isEqualTo(containerPort("jaeger", "health"));
        String store = map(query.get("storage")).get("traces").toString();
        Map<String, Object> memory = map(map(map(map(jaegerExtensions.get("jaeger_storage")).get("backends")).get(store)).get("memory"));
        assertThat(((Number) memory.get("max_traces")).intValue()).as("a bounded store").isBetween(1, 100_000);
        assertThat(map(map(jaegerYaml.get("exporters")).get("jaeger_storage_exporter")).get("trace_storage")).isEqualTo(store);
        assertThat(list(map(jaegerYaml.get("service")).get("extensions"))).containsExactlyInAnyOrderElementsOf(jaegerExtensions.keySet());

        // Every part that reports spans sends them to that receiver.
        for (Deployment d : all(Deployment.class)) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                if (c.getEnv() == null) {
                    continue;
                }
                c.getEnv().stream().filter(e -> e.getName().equals("ZIPKIN_ENDPOINT")).forEach(e -> {
                    URI uri = URI.create(e.getValue());
                    assertThat(uri.getHost()).as(c.getName()).startsWith("collector.tracing");
                    assertThat(uri.getPort()).as(c.getName()).isEqualTo(zipkinPort);
                    assertThat(uri.getPath()).isEqualTo("/api/v2/spans");
                });
            }
        }
    }

    @Test
    void jaegers_monitor_tab_reads_the_collectors_span_metrics_through_prometheus() {
        Map<String, Object> collector = new Yaml().load(configMap("collector-config").get("collector.yaml"));
        Map<String, Object> pipelines = map(map(collector.get("service")).get("pipelines"));
        // The traces pipeline feeds the connector, whose metrics pipeline ends in the exporter Prometheus scrapes.
        assertThat(map(collector.get("connectors"))).containsKey("spanmetrics");
        Map<String, Object> metrics = map(pipelines.get("metrics/spanmetrics"));
        assertThat(list(metrics.get("receivers"))).containsExactly("spanmetrics");
        assertThat(list(metrics.get("exporters"))).containsExactly("prometheus");
        assertThat(map(collector.get("exporters")).keySet()).containsExactlyInAnyOrder("otlp", "prometheus");
        String flush = String.valueOf(map(map(collector.get("connectors")).get("spanmetrics")).get("metrics_flush_interval"));
        assertThat(java.time.Duration.parse("PT" + flush.toUpperCase())).as("a lab sees a change within half a minute")
                .isLessThanOrEqualTo(java.time.Duration.ofSeconds(10));
        int spanMetricsPort = port(map(map(collector.get("exporters")).get("prometheus")).get("endpoint").toString());
        assertThat(containerPort("collector", "spanmetrics")).isEqualTo(spanMetricsPort)
                .isEqualTo(servicePort(service("tracing", "collector"), "spanmetrics"));

        Map<String, Object> prometheus = new Yaml().load(configMap("prometheus-config").get("prometheus.yml"));
        String interval = String.valueOf(map(prometheus.get("global")).get("scrape_interval"));
        assertThat(java.time.Duration.parse("PT" + interval.toUpperCase())).isLessThanOrEqualTo(java.time.Duration.ofSeconds(10));
        Map<String, Object> job = map(((List<?>) prometheus.get("scrape_configs")).get(0));
        assertThat(list(map(((List<?>) job.get("static_configs")).get(0)).get("targets")))
                .containsExactly("collector.tracing:" + spanMetricsPort);

        Map<String, Object> jaeger = new Yaml().load(configMap("jaeger-config").get("jaeger.yaml"));
        Map<String, Object> extensions = map(jaeger.get("extensions"));
        String metricsStore = map(map(extensions.get("jaeger_query")).get("storage")).get("metrics").toString();
        Map<String, Object> backend = map(map(map(map(extensions.get("jaeger_storage")).get("metric_backends")).get(metricsStore)).get("prometheus"));
        assertThat(backend.get("endpoint")).isEqualTo("http://prometheus.tracing:" + servicePort(service("tracing", "prometheus"), "http"));
        assertThat(containerPort("prometheus", "http")).isEqualTo(servicePort(service("tracing", "prometheus"), "http"));
        // The connector's metric names carry their unit and _total, as the exporter writes them.
        assertThat(backend).containsEntry("normalize_calls", true).containsEntry("normalize_duration", true);
    }

    @Test
    @SuppressWarnings("unchecked")
    void the_tail_sampling_variant_is_the_collector_with_a_tail_sampler_that_keeps_every_error_and_counts_every_span() {
        Map<String, Object> head = new Yaml().load(configMap("collector-config").get("collector.yaml"));
        Map<String, Object> tail = new Yaml().load(configMap("collector-config").get("collector-tail-sampling.yaml"));
        for (String same : List.of("receivers", "connectors", "exporters")) {
            assertThat(tail.get(same)).as(same + " as in collector.yaml").isEqualTo(head.get(same));
        }
        Map<String, Object> pipelines = map(map(tail.get("service")).get("pipelines"));
        assertThat(list(map(pipelines.get("traces")).get("processors"))).containsExactly("memory_limiter", "tail_sampling", "batch");
        assertThat(list(map(pipelines.get("traces")).get("exporters"))).containsExactly("otlp");
        assertThat(list(map(pipelines.get("traces/spanmetrics")).get("processors"))).as("metrics of every span, before any is dropped")
                .doesNotContain("tail_sampling");
        assertThat(list(map(pipelines.get("traces/spanmetrics")).get("exporters"))).containsExactly("spanmetrics");
        Map<String, Object> sampler = map(map(tail.get("processors")).get("tail_sampling"));
        assertThat(java.time.Duration.parse("PT" + sampler.get("decision_wait").toString().toUpperCase()))
                .isLessThanOrEqualTo(java.time.Duration.ofSeconds(10));
        List<Map<String, Object>> policies = (List<Map<String, Object>>) sampler.get("policies");
        assertThat(policies).extracting(p -> p.get("type")).containsExactly("status_code", "latency", "probabilistic");
        assertThat(list(map(policies.get(0).get("status_code")).get("status_codes"))).containsExactly("ERROR");
        assertThat(((Number) map(policies.get(2).get("probabilistic")).get("sampling_percentage")).doubleValue()).isEqualTo(10.0);
    }

    private static Map<String, String> configMap(String name) {
        return all(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst().orElseThrow().getData();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Object o) {
        return (List<String>) o;
    }

    private static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    private static Service service(String namespace, String name) {
        return all(Service.class).stream().filter(s -> s.getMetadata().getNamespace().equals(namespace)
                && s.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    private static int servicePort(Service service, String name) {
        return service.getSpec().getPorts().stream().filter(p -> p.getName().equals(name)).findFirst().orElseThrow().getPort();
    }

    private static int containerPort(String deployment, String name) {
        return all(Deployment.class).stream().filter(d -> d.getMetadata().getName().equals(deployment))
                .flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream())
                .flatMap(c -> c.getPorts().stream()).filter(p -> p.getName().equals(name)).findFirst().orElseThrow()
                .getContainerPort();
    }
}
