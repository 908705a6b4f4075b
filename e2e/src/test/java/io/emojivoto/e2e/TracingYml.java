package io.emojivoto.e2e;

import io.emojivoto.localrun.ProjectPaths;
import java.nio.file.Files;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/** tracing.yml's configuration files, as the tests compare them with what a local run ran. */
final class TracingYml {

    private TracingYml() {
    }

    /** The text of a file in one of tracing.yml's ConfigMaps, e.g. collector.yaml. */
    @SuppressWarnings("unchecked")
    static String configMapText(String file) throws Exception {
        for (Object document : new Yaml().loadAll(Files.readString(ProjectPaths.root().resolve("tracing.yml")))) {
            Map<String, Object> object = (Map<String, Object>) document;
            if ("ConfigMap".equals(object.get("kind")) && ((Map<String, Object>) object.get("data")).containsKey(file)) {
                return ((Map<String, String>) object.get("data")).get(file);
            }
        }
        throw new AssertionError("no ConfigMap with " + file + " in tracing.yml");
    }

    /** The text with every host:port, host, port and scrape target replaced by a mark: what a local run may change. */
    static String withoutAddresses(String yaml) {
        return Pattern.compile("(endpoint: |host: |port: |targets: )\\S+").matcher(yaml).replaceAll("$1ADDRESS");
    }
}
