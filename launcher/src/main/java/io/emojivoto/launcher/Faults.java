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
 * `./emojivoto fault list [--reveal] | set PART NAME VALUE [--blind] [--emoji E] | set-one-of … | clear [PART]`:
 * the one front end to the runtime switches that each part serves on its own admin listener (a
 * service's actuator, a proxy's admin listener, the ingress's status listener), all alike: GET lists,
 * POST NAME sets, DELETE resets.
 */
final class Faults {

    /** How a set is made: {@code --blind} (nothing names it), {@code --emoji E} (that emoji only); and {@code --reveal} for list. */
    record Options(boolean blind, String emoji, boolean reveal) {
        static final Options NONE = new Options(false, null, false);

        static Options of(Args args) {
            return new Options(args.flag("--blind"), args.value("--emoji", null), args.flag("--reveal"));
        }
    }

    /** {@code --emoji random}: one emoji the learner is to find, never the doughnut, which fails already. */
    static final String RANDOM_EMOJI = "random";

    /** One switch of one part, as the part reported it. */
    record Setting(String part, String name, String value, String start, String allowed, String emoji, boolean hidden) {
        boolean changed() {
            return !value.equals(start) || !emoji.isEmpty() || hidden;
        }

        /** The value as a person reads it: "hidden", "0.5", or "1 for :ghost: only". */
        String shown() {
            return value + (emoji.isEmpty() ? "" : " for " + emoji + " only");
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, String> urls = new LinkedHashMap<>(); // part → its /faults

    Faults(RunState.State state) {
        state.parts().values().stream().filter(e -> !e.faultsUrl().isEmpty()).forEach(e -> urls.put(e.name(), e.faultsUrl()));
    }

    int run(List<String> args, PrintStream out) {
        return run(args, Options.NONE, out);
    }

    /** Refuses options that the form does not take, before anything is read or changed (exit status 2). */
    static void checkOptions(List<String> args, Options options) {
        String action = args.isEmpty() ? "list" : args.get(0);
        if (options.reveal() && !action.equals("list")) {
            throw new UsageException("--reveal is for fault list");
        }
        if ((options.blind() || options.emoji() != null) && !action.startsWith("set")) {
            throw new UsageException("--blind and --emoji are for fault set and fault set-one-of");
        }
    }

    int run(List<String> args, Options options, PrintStream out) {
        checkOptions(args, options);
        String action = args.isEmpty() ? "list" : args.get(0);
        return switch (action) {
            case "list" -> {
                expect(args, 1, "fault list [--reveal]");
                yield list(options.reveal(), out);
            }
            case "set" -> {
                expect(args, 4, "fault set PART NAME VALUE [--blind] [--emoji E]");
                String emoji = chooseEmoji(options.emoji());
                set(part(args.get(1)), args.get(2), args.get(3), options.blind(), emoji, out);
                if (emoji != null && !emoji.equals(options.emoji())) {
                    out.printf("limited to one emoji, chosen at random%s%n", options.blind() ? ": which one? Find it by"
                            + " searching the traces (./emojivoto fault list --reveal tells)" : ": " + emoji);
                }
                yield 0;
            }
            case "set-one-of" -> {
                expect(args, 4, "fault set-one-of PART,PART NAME VALUE [--blind] [--emoji E]");
                List<String> parts = List.of(args.get(1).split(","));
                parts.forEach(this::part);
                String chosen = parts.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(parts.size()));
                set(chosen, args.get(2), args.get(3), options.blind(), chooseEmoji(options.emoji()),
                        new PrintStream(java.io.OutputStream.nullOutputStream()));
                out.printf("%s = %s on one of %s: which one? Find it in the traces (./emojivoto fault list%s tells)%n",
                        args.get(2), options.blind() ? "(hidden)" : args.get(3), String.join(", ", parts),
                        options.blind() ? " --reveal" : "");
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

    /** {@code --emoji random} made concrete, so that the part is told one emoji; else the emoji as given. */
    private static String chooseEmoji(String emoji) {
        if (!RANDOM_EMOJI.equals(emoji)) {
            return emoji;
        }
        List<String> candidates = io.emojivoto.api.EmojiTable.get().listed().stream().map(io.emojivoto.api.EmojiTable.Entry::shortcode)
                .filter(shortcode -> !shortcode.equals(":doughnut:")).toList();
        return candidates.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(candidates.size()));
    }

    /**
     * Every switch of every part. A switch set blind shows "hidden", and so does every other part's switch
     * of the same name: a single "hidden" row would name the part a learner is to find.
     */
    private int list(boolean reveal, PrintStream out) {
        Map<String, List<Setting>> byPart = new LinkedHashMap<>();
        Map<String, String> down = new LinkedHashMap<>();
        for (String part : urls.keySet()) {
            try {
                byPart.put(part, settings(part, reveal));
            } catch (PartDown e) {
                down.put(part, e.getMessage());
            }
        }
        java.util.Set<String> hiddenNames = new java.util.TreeSet<>();
        byPart.values().forEach(settings -> settings.stream().filter(Setting::hidden).forEach(s -> hiddenNames.add(s.name())));
        out.printf("%-18s %-14s %-22s %-10s %s%n", "part", "switch", "value", "start", "allowed");
        for (String part : urls.keySet()) {
            if (down.containsKey(part)) {
                out.printf("%-18s (%s)%n", part, down.get(part));
                continue;
            }
            for (Setting s : byPart.get(part)) {
                String value = !reveal && hiddenNames.contains(s.name()) ? "hidden" : s.shown() + (s.hidden() ? " (set blind)" : "");
                out.printf("%-18s %-14s %-22s %-10s %s%n", part, s.name(), value, s.start(), s.allowed());
            }
        }
        if (!reveal && !hiddenNames.isEmpty()) {
            out.printf("hidden: %s, set blind on one of the parts that show it; ./emojivoto fault list --reveal shows where%n",
                    String.join(", ", hiddenNames));
        }
        return down.isEmpty() ? 0 : 1;
    }

    private int set(String part, String name, String value, boolean blind, String emoji, PrintStream out) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", value);
        if (blind) {
            body.put("blind", true);
        }
        if (emoji != null) {
            body.put("emoji", emoji);
        }
        HttpResponse<String> response;
        try {
            response = send(part, "POST", "/" + name, JSON.writeValueAsString(body));
        } catch (PartDown e) {
            throw new LauncherException(part + " is " + e.getMessage() + ": nothing was changed (see ./emojivoto status)");
        }
        if (response.statusCode() == 400) {
            String error = JSON.readTree(response.body()).path("error").asString();
            throw new UsageException(part + ": " + error + (error.contains("one emoji") && !error.contains("they are")
                    ? " (--emoji is for voting-svc's delay and failure-rate)" : ""));
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
        return settings(part, false);
    }

    private List<Setting> settings(String part, boolean reveal) {
        JsonNode body = JSON.readTree(send(part, "GET", reveal ? "?reveal=true" : "", null).body());
        List<Setting> settings = new ArrayList<>();
        for (JsonNode s : body.path("switches")) {
            settings.add(new Setting(part, s.path("name").asString(), s.path("value").asString(), s.path("start").asString(),
                    s.path("allowed").asString(), s.path("emoji").asString(""), s.path("hidden").asString("false").equals("true")));
        }
        return settings;
    }

    private static String value(JsonNode listing, String name) {
        for (JsonNode s : listing.path("switches")) {
            if (s.path("name").asString().equals(name)) {
                String emoji = s.path("emoji").asString("");
                return s.path("value").asString() + (emoji.isEmpty() ? "" : " for " + emoji + " only");
            }
        }
        return "?";
    }

    /**
     * Empties voting-svc's poll through its management listener ({@code DELETE /actuator/votes}), so
     * that the next lab's leaderboard has its votes only.
     */
    int emptyVotes(PrintStream out) {
        String faults = urls.get("voting-svc");
        if (faults == null) {
            return 0;
        }
        String votes = faults.substring(0, faults.length() - "/faults".length()) + "/votes";
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(votes)).timeout(Duration.ofSeconds(5))
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString());
            out.printf("%-18s %s%n", "voting-svc", response.statusCode() == 200 ? "no vote counted any more" : "answered "
                    + response.statusCode() + " to emptying its votes");
            return response.statusCode() == 200 ? 0 : 1;
        } catch (IOException e) {
            out.printf("%-18s not answering: its votes were not emptied%n", "voting-svc");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
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
