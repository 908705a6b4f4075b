package io.emojivoto.launcher;

import io.emojivoto.testkit.ZipkinSpan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The expected span tree of ARCHITECTURE.md (contract 5), defined once: `./emojivoto check` and the
 * whole-pipeline tests both judge traces with it. A trace is complete when it has one root (the
 * ingress's SERVER span), every other span's parent is in the trace, every parent-child edge is a
 * hop of the pipeline, and every hop that a span opens reaches its end:
 * <pre>
 * ingress SERVER → web-svc-proxy SERVER → web-svc SERVER → web-svc CLIENT (one per gRPC call)
 *   → web-svc-proxy CLIENT → emoji-svc-proxy | voting-svc-proxy SERVER → emoji-svc | voting-svc SERVER
 * </pre>
 */
public final class ExpectedTrace {

    /** A span's role in the pipeline: service and kind. */
    record Role(String service, String kind) {
        @Override
        public String toString() {
            return service + " " + kind;
        }
    }

    static final Role INGRESS = new Role("ingress", "SERVER");
    static final Role WEB_PROXY_IN = new Role("web-svc-proxy", "SERVER");
    static final Role WEB = new Role("web-svc", "SERVER");
    static final Role WEB_CLIENT = new Role("web-svc", "CLIENT");
    static final Role WEB_PROXY_OUT = new Role("web-svc-proxy", "CLIENT");
    static final Role EMOJI_PROXY = new Role("emoji-svc-proxy", "SERVER");
    static final Role EMOJI = new Role("emoji-svc", "SERVER");
    static final Role VOTING_PROXY = new Role("voting-svc-proxy", "SERVER");
    static final Role VOTING = new Role("voting-svc", "SERVER");

    /** The parent each role must have. */
    private static final Map<Role, Set<Role>> PARENT = Map.of(
            WEB_PROXY_IN, Set.of(INGRESS),
            WEB, Set.of(WEB_PROXY_IN),
            WEB_CLIENT, Set.of(WEB),
            WEB_PROXY_OUT, Set.of(WEB_CLIENT),
            EMOJI_PROXY, Set.of(WEB_PROXY_OUT),
            VOTING_PROXY, Set.of(WEB_PROXY_OUT),
            EMOJI, Set.of(EMOJI_PROXY),
            VOTING, Set.of(VOTING_PROXY));

    private ExpectedTrace() {
    }

    /** The services whose spans a complete trace has, as in Zipkin's service list. */
    public static final List<String> SERVICES = List.of("ingress", "web-svc-proxy", "web-svc", "emoji-svc-proxy",
            "emoji-svc", "voting-svc-proxy", "voting-svc");

    /**
     * The edges of the dependency graph a pipeline under traffic must show. Zipkin links callers to
     * the servers they reach, so web-svc's calls appear as web-svc-proxy → emoji-svc-proxy /
     * voting-svc-proxy (the outbound proxy's CLIENT span is the last client before the server).
     */
    public static final List<String> DEPENDENCY_EDGES = List.of("ingress->web-svc-proxy", "web-svc-proxy->web-svc",
            "web-svc-proxy->emoji-svc-proxy", "web-svc-proxy->voting-svc-proxy",
            "emoji-svc-proxy->emoji-svc", "voting-svc-proxy->voting-svc");

    /**
     * What keeps {@code spans} from being a complete trace of a request to {@code path} that got
     * {@code status}; empty when it is complete.
     */
    public static List<String> problems(List<ZipkinSpan> spans, String path, int status) {
        List<String> problems = new ArrayList<>();
        if (spans.isEmpty()) {
            problems.add("no spans at all");
            return problems;
        }
        Map<String, ZipkinSpan> byId = new HashMap<>();
        Map<String, List<ZipkinSpan>> children = new HashMap<>();
        for (ZipkinSpan span : spans) {
            byId.put(span.id(), span);
        }
        List<ZipkinSpan> roots = new ArrayList<>();
        for (ZipkinSpan span : spans) {
            if (span.parentId() == null) {
                roots.add(span);
            } else if (!byId.containsKey(span.parentId())) {
                problems.add(describe(span) + ": its parent " + span.parentId() + " is absent");
            } else {
                children.computeIfAbsent(span.parentId(), k -> new ArrayList<>()).add(span);
                Role expected = role(byId.get(span.parentId()));
                Set<Role> allowed = PARENT.get(role(span));
                if (allowed == null || !allowed.contains(expected)) {
                    problems.add(describe(span) + ": unexpected parent " + describe(byId.get(span.parentId())));
                }
            }
        }
        if (roots.size() != 1 || !role(roots.get(0)).equals(INGRESS)) {
            problems.add("the root should be the one ingress SERVER span, found " + roots.stream().map(ExpectedTrace::describe).toList());
        }
        for (ZipkinSpan span : spans) {
            List<ZipkinSpan> kids = children.getOrDefault(span.id(), List.of());
            Role role = role(span);
            Role next = nextHop(role, span);
            if (next != null && kids.stream().noneMatch(k -> role(k).equals(next))) {
                problems.add(describe(span) + ": missing hop " + next);
            }
        }
        problems.addAll(missingCalls(spans, path, status));
        return problems;
    }

    /** The role that a span of {@code role} must have below it (null for the ends of the chain). */
    private static Role nextHop(Role role, ZipkinSpan span) {
        if (role.equals(INGRESS)) {
            return WEB_PROXY_IN;
        }
        if (role.equals(WEB_PROXY_IN)) {
            return WEB;
        }
        if (role.equals(WEB_CLIENT)) {
            return WEB_PROXY_OUT;
        }
        if (role.equals(WEB_PROXY_OUT)) {
            return span.name().contains("emojiservice") ? EMOJI_PROXY : VOTING_PROXY;
        }
        if (role.equals(EMOJI_PROXY)) {
            return EMOJI;
        }
        if (role.equals(VOTING_PROXY)) {
            return VOTING;
        }
        return null;
    }

    /** The gRPC calls web-svc must have made for this request. */
    private static List<String> missingCalls(List<ZipkinSpan> spans, String path, int status) {
        List<String> calls = spans.stream().filter(s -> role(s).equals(WEB_CLIENT)).map(ZipkinSpan::name).toList();
        List<String> missing = new ArrayList<>();
        java.util.function.Predicate<String> has = prefix -> calls.stream().anyMatch(c -> c.startsWith(prefix));
        switch (path) {
            case "/api/list" -> {
                if (!has.test("emojivoto.v1.emojiservice/listall")) {
                    missing.add("web-svc CLIENT emojivoto.v1.EmojiService/ListAll is missing");
                }
            }
            case "/api/vote" -> {
                if (status != 400 && !has.test("emojivoto.v1.emojiservice/findbyshortcode")) {
                    missing.add("web-svc CLIENT emojivoto.v1.EmojiService/FindByShortcode is missing");
                }
                if ((status == 200 || status == 500) && !has.test("emojivoto.v1.votingservice/vote")) {
                    missing.add("web-svc CLIENT emojivoto.v1.VotingService/Vote* is missing");
                }
            }
            case "/api/leaderboard" -> {
                if (!has.test("emojivoto.v1.votingservice/results")) {
                    missing.add("web-svc CLIENT emojivoto.v1.VotingService/Results is missing");
                }
            }
            default -> {
            }
        }
        return missing;
    }

    static Role role(ZipkinSpan span) {
        return new Role(span.serviceName(), span.kind() == null ? "?" : span.kind());
    }

    static String describe(ZipkinSpan span) {
        return span.serviceName() + " " + span.kind() + " '" + span.name() + "'";
    }
}
