package io.emojivoto.launcher;

import io.emojivoto.localrun.StoredSpan;
import io.emojivoto.spanvocabulary.SpanVocabulary;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * `./emojivoto trace`: one trace as a waterfall in plain text, for where there is only a terminal
 * (a projector, an SSH session, a CI log). One line per span, indented under its parent: service,
 * kind and name, when it started after the trace did, how long it took, a bar on the trace's time
 * scale, an error mark, and the tags a learner looks for. Below the tree, what `check` would say of it.
 */
final class TerminalTrace {

    /** The tags worth a place on a span's line: outcomes and what this project's own code adds. */
    private static final List<String> SHOWN_TAGS = List.of(SpanVocabulary.HTTP_RESPONSE_STATUS_CODE, SpanVocabulary.RPC_GRPC_STATUS_CODE,
            SpanVocabulary.EMOJI, SpanVocabulary.FAULT, SpanVocabulary.LEADERBOARD, SpanVocabulary.CLIENT_KIND);
    static final int BAR_WIDTH = 30;
    static final String ERROR_MARK = "✗";

    private TerminalTrace() {
    }

    /** Prints the trace's spans as a tree; spans whose parent is not in the trace are printed as roots of their own. */
    static void print(List<StoredSpan> spans, String backend, PrintStream out) {
        long start = spans.stream().mapToLong(StoredSpan::timestamp).min().orElse(0);
        long end = spans.stream().mapToLong(s -> s.timestamp() + s.duration()).max().orElse(start);
        long total = Math.max(1, end - start);
        Set<String> services = new LinkedHashSet<>();
        spans.forEach(s -> services.add(s.serviceName()));
        out.printf("trace %s in %s: %d spans from %d services, %s%n%n", spans.get(0).traceId(), backend, spans.size(), services.size(),
                millis(total));

        Map<String, StoredSpan> byId = new HashMap<>();
        spans.forEach(s -> byId.put(s.id(), s));
        Map<String, List<StoredSpan>> children = new HashMap<>();
        List<StoredSpan> roots = new ArrayList<>();
        for (StoredSpan span : spans) {
            if (span.parentId() != null && byId.containsKey(span.parentId()) && !span.parentId().equals(span.id())) {
                children.computeIfAbsent(span.parentId(), k -> new ArrayList<>()).add(span);
            } else {
                roots.add(span);
            }
        }
        List<String[]> rows = new ArrayList<>();
        roots.sort(Comparator.comparingLong(StoredSpan::timestamp));
        for (StoredSpan root : roots) {
            addRows(root, "", "", children, start, total, rows, new LinkedHashSet<>());
        }
        int labelWidth = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        out.printf("%-" + labelWidth + "s  %9s  %9s  %s%n", "span", "start", "duration", "0 " + "─".repeat(BAR_WIDTH - 4) + " " + millis(total));
        for (String[] row : rows) {
            out.printf("%-" + labelWidth + "s  %9s  %9s  %s%n", (Object[]) row);
        }
    }

    /** A span's row, then its children's, depth first in the order they started. */
    private static void addRows(StoredSpan span, String indent, String branch, Map<String, List<StoredSpan>> children, long start,
                                long total, List<String[]> rows, Set<String> seen) {
        if (!seen.add(span.id())) {
            return; // a span that is its own ancestor: print it once
        }
        String label = indent + branch + span.serviceName() + " " + (span.kind() == null ? "LOCAL" : span.kind()) + " " + span.name();
        rows.add(new String[] {label, millis(span.timestamp() - start), millis(span.duration()),
                bar(span.timestamp() - start, span.duration(), total) + details(span)});
        List<StoredSpan> below = new ArrayList<>(children.getOrDefault(span.id(), List.of()));
        below.sort(Comparator.comparingLong(StoredSpan::timestamp));
        String childIndent = branch.isEmpty() ? indent : indent + (branch.startsWith("├") ? "│ " : "  ");
        for (int i = 0; i < below.size(); i++) {
            addRows(below.get(i), childIndent, i == below.size() - 1 ? "└ " : "├ ", children, start, total, rows, seen);
        }
    }

    /** The span's place on the trace's time scale: blanks before it, then one block per step it lasted (at least one). */
    static String bar(long offset, long duration, long total) {
        int from = (int) Math.min(BAR_WIDTH - 1, offset * BAR_WIDTH / total);
        int length = (int) Math.max(1, Math.min(BAR_WIDTH - from, Math.round((double) duration * BAR_WIDTH / total)));
        return " ".repeat(from) + "█".repeat(length) + " ".repeat(BAR_WIDTH - from - length);
    }

    private static String details(StoredSpan span) {
        StringBuilder text = new StringBuilder();
        if (span.tags().containsKey(SpanVocabulary.ERROR)) {
            text.append(' ').append(ERROR_MARK).append(" error=").append(span.tag(SpanVocabulary.ERROR));
        }
        for (String key : SHOWN_TAGS) {
            if (span.tags().containsKey(key)) {
                text.append(' ').append(key).append('=').append(span.tag(key));
            }
        }
        for (String event : span.annotations()) {
            if (event.equals(SpanVocabulary.Event.VOTE_COUNTED)) { // the event this project's code adds (gRPC's sent/received are noise here)
                text.append(" «").append(event).append('»');
            }
        }
        return text.toString();
    }

    /** Microseconds as milliseconds, two decimals: the precision Zipkin and Jaeger report in. */
    static String millis(long micros) {
        return String.format(Locale.ROOT, "%.2f ms", micros / 1000.0);
    }
}
