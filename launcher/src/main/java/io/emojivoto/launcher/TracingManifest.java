package io.emojivoto.launcher;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The configurations of the Kubernetes trace backend, read out of tracing.yml's ConfigMaps, so that
 * `up --backend jaeger` runs the very text that Kubernetes runs. Locally only the addresses change:
 * each listener moves to 127.0.0.1 and a port of the port plan, and the collector exports to the
 * local Jaeger. Nothing else may differ (a test compares the two, addresses aside).
 */
final class TracingManifest {

    /** The collector's configuration, in ConfigMap collector-config. */
    static final String COLLECTOR = "collector.yaml";
    /** The collector's tail-sampling variant (`up --sampling tail`), beside it in ConfigMap collector-config. */
    static final String COLLECTOR_TAIL_SAMPLING = "collector-tail-sampling.yaml";
    /** Jaeger's, in ConfigMap jaeger-config. */
    static final String JAEGER = "jaeger.yaml";
    /** Prometheus's (what it scrapes, how often), in ConfigMap prometheus-config. */
    static final String PROMETHEUS = "prometheus.yml";

    private final Map<String, String> files;
    private final Map<String, List<String>> args; // container name → its args

    private TracingManifest(Map<String, String> files, Map<String, List<String>> args) {
        this.files = files;
        this.args = args;
    }

    static TracingManifest read(Path tracingYml) {
        Map<String, String> files = new LinkedHashMap<>();
        Map<String, List<String>> args = new LinkedHashMap<>();
        try (Reader in = Files.newBufferedReader(tracingYml)) {
            for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(in)) {
                if (document instanceof Map<?, ?> object && "ConfigMap".equals(object.get("kind"))
                        && object.get("data") instanceof Map<?, ?> data) {
                    data.forEach((name, text) -> files.put(String.valueOf(name), String.valueOf(text)));
                }
                if (document instanceof Map<?, ?> object && "Deployment".equals(object.get("kind"))) {
                    containers(object).forEach(c -> args.put(String.valueOf(c.get("name")),
                            c.get("args") instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + tracingYml, e);
        }
        for (String required : new String[] {COLLECTOR, COLLECTOR_TAIL_SAMPLING, JAEGER, PROMETHEUS}) {
            if (!files.containsKey(required)) {
                throw new LauncherException(tracingYml + " has no ConfigMap with " + required);
            }
        }
        return new TracingManifest(files, args);
    }

    /** spec.template.spec.containers of a Deployment. */
    private static List<Map<?, ?>> containers(Map<?, ?> deployment) {
        Object node = deployment;
        for (String key : new String[] {"spec", "template", "spec", "containers"}) {
            node = node instanceof Map<?, ?> map ? map.get(key) : null;
        }
        return node instanceof List<?> list ? list.stream().filter(Map.class::isInstance).<Map<?, ?>>map(c -> (Map<?, ?>) c).toList() : List.of();
    }

    /**
     * A container's args as Kubernetes runs them, each value in {@code replacements} (a path in the
     * container) replaced by its local counterpart, with a clear error if one is not there.
     */
    List<String> localArgs(String container, Map<String, String> replacements) {
        List<String> given = args.get(container);
        if (given == null) {
            throw new LauncherException("tracing.yml has no container '" + container + "'");
        }
        String joined = String.join("\n", given);
        for (Map.Entry<String, String> replacement : replacements.entrySet()) {
            if (!joined.contains(replacement.getKey())) {
                throw new LauncherException("tracing.yml's " + container + " args no longer have '" + replacement.getKey()
                        + "', which the local run replaces with '" + replacement.getValue() + "': update TracingManifest's callers");
            }
            joined = joined.replace(replacement.getKey(), replacement.getValue());
        }
        return List.of(joined.split("\n"));
    }

    /** The file's text as Kubernetes runs it. */
    String text(String file) {
        return files.get(file);
    }

    /**
     * The file's text with each address in {@code addresses} replaced, and a clear error if one of
     * them is not there (the manifest changed and the local run would listen where Kubernetes does).
     */
    String localText(String file, Map<String, String> addresses) {
        String text = text(file);
        for (Map.Entry<String, String> address : addresses.entrySet()) {
            if (!text.contains(address.getKey())) {
                throw new LauncherException("tracing.yml's " + file + " no longer has '" + address.getKey()
                        + "', which the local run moves to '" + address.getValue() + "': update TracingManifest's callers");
            }
            text = text.replace(address.getKey(), address.getValue());
        }
        return text;
    }
}
