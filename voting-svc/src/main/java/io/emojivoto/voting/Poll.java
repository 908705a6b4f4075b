package io.emojivoto.voting;

import io.emojivoto.api.EmojiTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory tally. One counter per emoji, created up front from the emoji table, so voting
 * needs no lock and N concurrent votes always count N.
 */
public class Poll {

    /** A result line: an emoji and its votes. */
    public record Result(String shortcode, long votes) {
    }

    /** Insertion-ordered by the emoji table, which gives ties a stable order in {@link #results()}. */
    private final Map<String, AtomicLong> counts = new LinkedHashMap<>();

    public Poll(EmojiTable table) {
        table.all().forEach(entry -> counts.put(entry.shortcode(), new AtomicLong()));
    }

    /** @return the new total for that emoji */
    public long vote(String shortcode) {
        AtomicLong count = counts.get(shortcode);
        if (count == null) {
            throw new IllegalArgumentException("not an emoji of the poll: " + shortcode);
        }
        return count.incrementAndGet();
    }

    /** Every count back to zero: a fresh poll, as after a start, for the next lab. */
    public void clear() {
        counts.values().forEach(count -> count.set(0));
    }

    /** Emoji with at least one vote, most votes first; ties keep the emoji table's order. */
    public List<Result> results() {
        List<Result> results = new ArrayList<>();
        counts.forEach((shortcode, count) -> {
            long votes = count.get();
            if (votes > 0) {
                results.add(new Result(shortcode, votes));
            }
        });
        results.sort(Comparator.comparingLong(Result::votes).reversed()); // List.sort is stable
        return results;
    }
}
