package io.emojivoto.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * `./emojivoto fault list | set PART NAME VALUE | clear [PART]`: the one front end to the runtime
 * switches that each part serves on its own admin listener (a service's actuator, a proxy's admin
 * listener, the ingress's status listener), all alike: GET lists, POST NAME sets, DELETE resets.
 */
final class Faults {

    /** One switch of one part, as the part reported it. */
    record Setting(String part, String name, String value, String start, String allowed) {
        boolean changed() {
            return !value.equals(start);
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, String> urls = new LinkedHashMap<>(); // part → its /faults

    Faults(RunState.State state) {
        state.parts().values().stream().filter(e -> !e.faultsUrl().isEmpty()).forEach(e -> urls.put(e.name(), e.faultsUrl()));
    }

    int run(List<String> args, PrintStream out) {
        String action = args.isEmpty() ? "list" : args.get(0);
        return switch (action) {
            case "list" -> {
                expect(args, 1, "fault list");
                yield list(out);
            }
            case "set" -> {
                expect(args, 4, "fault set PART NAME VALUE");
                yield set(part(args.get(1)), args.get(2), args.get(3), out);
            }
            case "set-one-of" -> {
                expect(args, 4, "fault set-one-of PART,PART NAME VALUE");
                List<String> parts = List.of(args.get(1).split(","));
                parts.forEach(this::part);
                String chosen = parts.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(parts.size()));
                set(chosen, args.get(2), args.get(3), new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
                out.printf("%s = %s on one of %s: which one? Find it in a trace (./emojivoto fault list tells)%n",
                        args.get(2), args.get(3), String.join(", ", parts));
                yield 0;
            }
            case "clear" -> {
                if (args.size() > 2) {
                    throw new UsageException("fault clear takes at most one part");
                }
                yield clear(args.size() == 2 ? List.of(part(args.get(1))) : List.copyOf(urls.keySet()), out);
            }
            default -> throw new UsageException("fault has list, set PART NAME VALUE, set-one-of PART,PART NAME VALUE and"
                    + " clear [PART], not '" + action + "'");
        };
    }

    private static void expect(List<String> args, int size, String usage) {
        if (args.size() != size) {
            throw new UsageException("usage: ./emojivoto " + usage);
        }
    }

    private String part(String name) {
        if (!urls.containsKey(name)) {
            throw new UsageException("no part '" + name + "' with switches; the parts are " + String.join(", ", urls.keySet()));
        }
        return name;
    }

    private int list(PrintStream out) {
        out.printf("%-18s %-14s %-10s %-10s %s%n", "part", "switch", "value", "start", "allowed");
        int status = 0;
        for (String part : urls.keySet()) {
            try {
                for (Setting s : settings(part)) {
                    out.printf("%-18s %-14s %-10s %-10s %s%n", part, s.name(), s.value(), s.start(), s.allowed());
                }
            } catch (PartDown e) {
                out.printf("%-18s (%s)%n", part, e.getMessage());
                status = 1;
            }
        }
        return status;
    }

    private int set(String part, String name, String value, PrintStream out) {
        HttpResponse<String> response;
        try {
            response = send(part, "POST", "/" + name, JSON.writeValueAsString(Map.of("value", value)));
        } catch (PartDown e) {
            throw new LauncherException(part + " is " + e.getMessage() + ": nothing was changed (see ./emojivoto status)");
        }
        if (response.statusCode() == 400) {
            throw new UsageException(JSON.readTree(response.body()).path("error").asString());
        }
        if (response.statusCode() != 200) {
            throw new LauncherException(part + " answered " + response.statusCode() + ": " + response.body());
        }
        out.printf("%s %s = %s (from the next request)%n", part, name, value(JSON.readTree(response.body()), name));
        return 0;
    }

    private int clear(List<String> parts, PrintStream out) {
        int status = 0;
        for (String part : parts) {
            try {
                HttpResponse<String> response = send(part, "DELETE", "", null);
                out.printf("%-18s %s%n", part, response.statusCode() == 200 ? "every switch back to its start value"
                        : "answered " + response.statusCode());
            } catch (PartDown e) {
                out.printf("%-18s %s: not cleared%n", part, e.getMessage());
                status = 1;
            }
        }
        return status;
    }

    /** Every switch of every part that answers; parts that do not are left out. */
    List<Setting> all() {
        List<Setting> all = new ArrayList<>();
        for (String part : urls.keySet()) {
            try {
                all.addAll(settings(part));
            } catch (PartDown e) {
                // status shows the part's state itself
            }
        }
        return all;
    }

    private List<Setting> settings(String part) {
        JsonNode body = JSON.readTree(send(part, "GET", "", null).body());
        List<Setting> settings = new ArrayList<>();
        for (JsonNode s : body.path("switches")) {
            settings.add(new Setting(part, s.path("name").asString(), s.path("value").asString(), s.path("start").asString(),
                    s.path("allowed").asString()));
        }
        return settings;
    }

    private static String value(JsonNode listing, String name) {
        for (JsonNode s : listing.path("switches")) {
            if (s.path("name").asString().equals(name)) {
                return s.path("value").asString();
            }
        }
        return "?";
    }

    /** The part did not answer: down, or being restarted. */
    static final class PartDown extends RuntimeException {
        PartDown(String message) {
            super(message);
        }
    }

    private HttpResponse<String> send(String part, String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(urls.get(part) + path)).timeout(Duration.ofSeconds(5));
        request = json == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new PartDown("not answering (down, or being restarted)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PartDown("interrupted");
        }
    }
}
