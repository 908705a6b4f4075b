package io.emojivoto.bot;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts of what the bot's votes came back with: an HTTP status, or how the request failed. */
public final class Outcomes {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void record(String outcome) {
        counts.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    }

    public long count(String outcome) {
        LongAdder adder = counts.get(outcome);
        return adder == null ? 0 : adder.sum();
    }

    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((k, v) -> snapshot.put(k, v.sum()));
        return snapshot;
    }

    @Override
    public String toString() {
        StringBuilder line = new StringBuilder();
        snapshot().forEach((k, v) -> line.append(line.isEmpty() ? "" : ", ").append(k).append('=').append(v));
        return line.isEmpty() ? "none yet" : line.toString();
    }
}
