package io.emojivoto.launcher;

import io.emojivoto.spanvocabulary.SpanVocabulary;
import io.emojivoto.localrun.StoredSpan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The expected span tree (docs/architecture.md, contract 5), defined once as the list of its edges,
 * {@link #TREE}: `./emojivoto check` and the whole-pipeline tests both judge traces with it, and
 * every other fact here (which parent a span may have, which hop must follow, the services of a
 * complete trace, the edges of the dependency graph) is derived from that list.
 *
 * <p>A trace is complete when it has one root (the ingress's SERVER span), every other span's
 * parent is in the trace and is one the tree allows, and every hop that a span opens reaches its end.
 * A hop may be missing only below a span that recorded the failure (an {@code error} tag): that
 * call failed, and its trace is complete as far as it got.
 */
public final class ExpectedTrace {

    /** A span's role in the pipeline: service and kind ({@code LOCAL} for a span that is neither). */
    public record Role(String service, String kind) {
        @Override
        public String toString() {
            return service + " " + kind;
        }
    }

    /**
     * One edge of the tree: a span of role {@code child} has a parent of role {@code parent}.
     * {@code required}: every parent span that {@code appliesTo} must have such a child (a hop);
     * otherwise the child may be there (a call the app makes when its path needs it).
     */
    public record Edge(Role parent, Role child, boolean required, Predicate<StoredSpan> appliesTo) {
    }

    static final Role INGRESS = new Role("ingress", "SERVER");
    static final Role WEB_PROXY_IN = new Role("web-svc-proxy", "SERVER");
    static final Role WEB = new Role("web-svc", "SERVER");
    static final Role WEB_CLIENT = new Role("web-svc", "CLIENT");
    /** web-svc's own span around the leaderboard's join, made with the Observation API. */
    static final Role WEB_JOIN = new Role("web-svc", "LOCAL");
    static final Role WEB_PROXY_OUT = new Role("web-svc-proxy", "CLIENT");
    static final Role EMOJI_PROXY = new Role("emoji-svc-proxy", "SERVER");
    static final Role EMOJI = new Role("emoji-svc", "SERVER");
    static final Role VOTING_PROXY = new Role("voting-svc-proxy", "SERVER");
    static final Role VOTING = new Role("voting-svc", "SERVER");

    private static final Predicate<StoredSpan> ALWAYS = span -> true;

    /** Whether a span's name names that gRPC service (Zipkin lowercases names, Jaeger keeps their case). */
    private static boolean calls(StoredSpan span, String service) {
        return span.name().toLowerCase(Locale.ROOT).contains(service);
    }

    /**
     * The span tree, root first: ingress → web-svc's proxy → web-svc → each gRPC call through both
     * proxies; the leaderboard's calls to emoji-svc are made inside web-svc's join span.
     */
    public static final List<Edge> TREE = List.of(
            new Edge(INGRESS, WEB_PROXY_IN, true, ALWAYS),
            new Edge(WEB_PROXY_IN, WEB, true, ALWAYS),
            new Edge(WEB, WEB_CLIENT, false, ALWAYS),
            new Edge(WEB, WEB_JOIN, false, ALWAYS),
            new Edge(WEB_JOIN, WEB_CLIENT, false, ALWAYS),
            new Edge(WEB_CLIENT, WEB_PROXY_OUT, true, ALWAYS),
            new Edge(WEB_PROXY_OUT, EMOJI_PROXY, true, span -> calls(span, "emojiservice")),
            new Edge(WEB_PROXY_OUT, VOTING_PROXY, true, span -> calls(span, "votingservice")),
            new Edge(EMOJI_PROXY, EMOJI, true, ALWAYS),
            new Edge(VOTING_PROXY, VOTING, true, ALWAYS));

    /** The root's role: the one span without a parent. */
    static final Role ROOT = TREE.get(0).parent();

    /** The services whose spans a complete trace has, in the tree's order, as in Zipkin's service list. */
    public static final List<String> SERVICES = services();

    /**
     * The edges of the dependency graph a pipeline under traffic must show, as "caller->callee". Zipkin
     * and Jaeger link a server span to the service of its parent; a client span is not a callee. So
     * web-svc's calls appear as web-svc-proxy → emoji-svc-proxy / voting-svc-proxy: the outbound proxy's
     * CLIENT span is the last span before the server's.
     */
    public static final List<String> DEPENDENCY_EDGES = dependencyEdges();

    private ExpectedTrace() {
    }

    private static List<String> services() {
        Set<String> services = new LinkedHashSet<>();
        TREE.forEach(edge -> {
            services.add(edge.parent().service());
            services.add(edge.child().service());
        });
        return List.copyOf(services);
    }

    private static List<String> dependencyEdges() {
        Set<String> edges = new LinkedHashSet<>();
        for (Edge edge : TREE) {
            if (edge.child().kind().equals("SERVER") && !edge.parent().service().equals(edge.child().service())) {
                edges.add(edge.parent().service() + "->" + edge.child().service());
            }
        }
        return List.copyOf(edges);
    }

    /** What keeps a trace from being complete. */
    public enum ProblemKind {
        /** The backend has no span of the trace at all. */
        NO_SPANS,
        /** A span names a parent that is not in the trace: its parent's reporter lost it, or a hop broke the chain. */
        PARENT_ABSENT,
        /** A span's parent has a role the tree does not allow there, e.g. a hop that skipped the proxy. */
        UNEXPECTED_PARENT,
        /** Not exactly one root, or a root that is not the ingress's. */
        WRONG_ROOT,
        /** A span that opens a hop has no span of the hop's next role below it. */
        MISSING_HOP,
        /** A call the request's path must make is not in the trace. */
        MISSING_CALL,
        /** A span lacks what its service's code adds to it (a tag, an event). */
        MISSING_DETAIL
    }

    /**
     * One problem with a trace. {@code what} names the missing or misplaced role (the same for every
     * trace with this problem, so problems can be counted by it); {@code detail} names the span.
     * {@code afterFailure}: a hop missing below a span that recorded an error, where a failed call ends.
     */
    public record Problem(ProblemKind kind, String what, String detail, boolean afterFailure, String at) {

        Problem(ProblemKind kind, String what, String detail, boolean afterFailure) {
            this(kind, what, detail, afterFailure, "");
        }

        @Override
        public String toString() {
            return switch (kind) {
                case NO_SPANS -> "no spans at all";
                case PARENT_ABSENT -> detail + ": its parent " + what + " is absent";
                case UNEXPECTED_PARENT -> detail + ": unexpected parent " + what;
                case WRONG_ROOT -> "the root should be the one ingress SERVER span, found " + detail;
                case MISSING_HOP -> detail + ": missing hop " + what;
                case MISSING_CALL -> what + " is missing";
                case MISSING_DETAIL -> detail + ": no " + what;
            };
        }

        /** The problem without the span it was found at: what a grouped report counts. */
        public String summary() {
            return switch (kind) {
                case NO_SPANS -> "no spans at all";
                case PARENT_ABSENT -> "a span's parent is absent";
                case UNEXPECTED_PARENT -> at + " under " + what + ", skipping a hop";
                case WRONG_ROOT -> "not rooted at the ingress";
                case MISSING_HOP -> at + ": missing hop " + what;
                case MISSING_CALL -> what + " is missing";
                case MISSING_DETAIL -> "no " + what;
            };
        }
    }

    /**
     * What keeps {@code spans} from being a complete trace of a request to {@code path} that got
     * {@code status}, as readable lines; empty when it is complete.
     */
    public static List<String> problems(List<StoredSpan> spans, String path, int status) {
        return judge(spans, path, status).stream().map(Problem::toString).toList();
    }

    /** As {@link #problems}, structured, for a report that groups and explains them. */
    public static List<Problem> judge(List<StoredSpan> spans, String path, int status) {
        List<Problem> problems = new ArrayList<>();
        if (spans.isEmpty()) {
            problems.add(new Problem(ProblemKind.NO_SPANS, "", "", false));
            return problems;
        }
        Map<String, StoredSpan> byId = new HashMap<>();
        Map<String, List<StoredSpan>> children = new HashMap<>();
        for (StoredSpan span : spans) {
            byId.put(span.id(), span);
        }
        List<StoredSpan> roots = new ArrayList<>();
        for (StoredSpan span : spans) {
            if (span.parentId() == null) {
                roots.add(span);
            } else if (!byId.containsKey(span.parentId())) {
                problems.add(new Problem(ProblemKind.PARENT_ABSENT, span.parentId(), describe(span), false));
            } else {
                StoredSpan parent = byId.get(span.parentId());
                children.computeIfAbsent(span.parentId(), k -> new ArrayList<>()).add(span);
                if (!allowedParents(role(span)).contains(role(parent))) {
                    problems.add(new Problem(ProblemKind.UNEXPECTED_PARENT, role(parent).toString(),
                            describe(span) + " under " + describe(parent), false, role(span).toString()));
                }
            }
        }
        if (roots.size() != 1 || !role(roots.get(0)).equals(ROOT)) {
            problems.add(new Problem(ProblemKind.WRONG_ROOT, "", roots.stream().map(ExpectedTrace::describe).toList().toString(),
                    false));
        }
        for (StoredSpan span : spans) {
            List<StoredSpan> below = children.getOrDefault(span.id(), List.of());
            Role role = role(span);
            for (Role next : nextHops(span)) {
                if (below.stream().noneMatch(k -> role(k).equals(next))) {
                    problems.add(new Problem(ProblemKind.MISSING_HOP, next.toString(), describe(span), span.tags().containsKey(SpanVocabulary.ERROR),
                            role.toString()));
                }
            }
        }
        if (spans.stream().anyMatch(s -> role(s).equals(WEB))) { // the calls of web-svc, when it answered at all
            missingCalls(spans, path, status).forEach(call -> problems.add(new Problem(ProblemKind.MISSING_CALL, call, "", false)));
        }
        for (StoredSpan span : spans) {
            missingDetails(span).forEach(what -> problems.add(new Problem(ProblemKind.MISSING_DETAIL, what, describe(span), false)));
        }
        return problems;
    }

    /** What voting-svc's code adds to the span of a vote: the emoji it was for, and the moment it counted. */
    private static List<String> missingDetails(StoredSpan span) {
        if (!role(span).equals(VOTING) || !span.name().toLowerCase(Locale.ROOT).contains("votingservice/vote")) {
            return List.of();
        }
        List<String> missing = new ArrayList<>();
        if (!span.tags().containsKey(SpanVocabulary.EMOJI)) {
            missing.add("tag emojivoto.emoji");
        }
        if (!span.tags().containsKey(SpanVocabulary.ERROR) && !span.annotations().contains(SpanVocabulary.Event.VOTE_COUNTED)) {
            missing.add("event 'vote counted'");
        }
        return missing;
    }

    /**
     * The parts that may have broken propagation, from a trace's problems: when a span hangs from a
     * span further up than its own parent's role (the voting-svc span under web-svc-proxy's CLIENT span,
     * say), the hop in between forwarded the context it got instead of its own span's: the part of
     * the parent role the span should have had.
     */
    public static List<String> suspects(List<Problem> problems) {
        Set<String> suspects = new LinkedHashSet<>();
        for (Problem problem : problems) {
            if (problem.kind() == ProblemKind.UNEXPECTED_PARENT) {
                String at = problem.at();
                TREE.stream().filter(edge -> edge.child().toString().equals(at)).forEach(edge -> suspects.add(edge.parent().service()));
            }
        }
        return List.copyOf(suspects);
    }

    /** The roles a span of {@code role} may have as its parent. */
    static Set<Role> allowedParents(Role role) {
        Set<Role> parents = new LinkedHashSet<>();
        TREE.stream().filter(edge -> edge.child().equals(role)).forEach(edge -> parents.add(edge.parent()));
        return parents;
    }

    /** The hops that must follow {@code span}: its role's required edges that apply to it. */
    static List<Role> nextHops(StoredSpan span) {
        Role role = role(span);
        return TREE.stream().filter(edge -> edge.required() && edge.parent().equals(role) && edge.appliesTo().test(span))
                .map(Edge::child).toList();
    }

    /** The gRPC calls web-svc must have made for this request. */
    private static List<String> missingCalls(List<StoredSpan> spans, String path, int status) {
        List<String> calls = spans.stream().filter(s -> role(s).equals(WEB_CLIENT))
                .map(s -> s.name().toLowerCase(Locale.ROOT)).toList();
        List<String> missing = new ArrayList<>();
        Predicate<String> has = prefix -> calls.stream().anyMatch(c -> c.startsWith(prefix));
        switch (path) {
            case "/api/list" -> {
                if (!has.test("emojivoto.v1.emojiservice/listall")) {
                    missing.add("web-svc CLIENT emojivoto.v1.EmojiService/ListAll");
                }
            }
            case "/api/vote" -> {
                if (status != 400 && !has.test("emojivoto.v1.emojiservice/findbyshortcode")) {
                    missing.add("web-svc CLIENT emojivoto.v1.EmojiService/FindByShortcode");
                }
                // A vote follows a lookup that found the emoji: a 200, or a 500 from voting (the doughnut).
                boolean lookupFailed = spans.stream().anyMatch(s -> role(s).equals(WEB_CLIENT)
                        && s.name().toLowerCase(Locale.ROOT).startsWith("emojivoto.v1.emojiservice/findbyshortcode")
                        && s.tags().containsKey(SpanVocabulary.ERROR));
                if ((status == 200 || status == 500) && !lookupFailed && !has.test("emojivoto.v1.votingservice/vote")) {
                    missing.add("web-svc CLIENT emojivoto.v1.VotingService/Vote*");
                }
            }
            case "/api/leaderboard" -> {
                if (!has.test("emojivoto.v1.votingservice/results")) {
                    missing.add("web-svc CLIENT emojivoto.v1.VotingService/Results");
                }
                if (status == 200 && spans.stream().noneMatch(s -> role(s).equals(WEB_JOIN))) {
                    missing.add("web-svc's span 'leaderboard join'");
                }
            }
            default -> {
            }
        }
        return missing;
    }

    public static Role role(StoredSpan span) {
        return new Role(span.serviceName(), span.kind() == null ? "LOCAL" : span.kind());
    }

    static String describe(StoredSpan span) {
        return role(span) + " '" + span.name() + "'";
    }
}
