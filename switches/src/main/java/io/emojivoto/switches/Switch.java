package io.emojivoto.switches;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * One runtime switch of a part: a fault to inject or a fix to apply, changed while the part runs
 * ({@code ./emojivoto fault set}), effective for the next request. It starts at the value the
 * service was configured with and goes back to it on reset. A value it cannot take is refused with
 * the values it can, and the running value stays.
 *
 * <p>Two ways of setting it make a learner look harder: <em>hidden</em> ({@code --blind}), the part
 * acts on it but never names it (no span tag, no log line, "hidden" in every listing until revealed);
 * and <em>limited to one emoji</em> ({@code --emoji E}), where the switch can be, it acts only on the
 * requests for that emoji.
 *
 * @param <T> what the switch holds
 */
public final class Switch<T> {

    /** How it is set now, replaced whole so that a request never sees a value with another's emoji. */
    private record Setting<T>(T value, String emoji, boolean hidden) {
    }

    private final String name;
    private final String allowed;
    private final Function<String, T> parse;
    private final Function<T, String> format;
    private final T start;
    private volatile Setting<T> current;
    private Set<String> keys = Set.of(); // the emoji it can be limited to; none: it acts on every request

    private Switch(String name, String allowed, Function<String, T> parse, Function<T, String> format, T start) {
        this.name = name;
        this.allowed = allowed;
        this.parse = parse;
        this.format = format;
        this.start = start;
        this.current = new Setting<>(start, null, false);
    }

    /** Lets this switch be limited to the requests for one emoji, one of {@code emoji}. */
    public Switch<T> limitableToOneEmoji(Set<String> emoji) {
        this.keys = Set.copyOf(emoji);
        return this;
    }

    /** A delay added to each call: 0ms up to a minute, written 300ms or 2s. */
    public static Switch<Duration> delay(String name, Duration start) {
        return new Switch<>(name, "a duration from 0ms to 60s, such as 300ms or 2s", Switch::duration, Switch::format, start);
    }

    /** A probability: 0 (never) to 1 (always). */
    public static Switch<Double> probability(String name, double start) {
        return new Switch<>(name, "a number from 0 to 1", Switch::probability, v -> stripZeros(v), start);
    }

    /** On or off. */
    public static Switch<Boolean> onOff(String name, boolean start) {
        return new Switch<>(name, "on or off", text -> switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException(text);
        }, on -> on ? "on" : "off", start);
    }

    /** One of a few named choices. */
    public static Switch<String> choice(String name, String start, List<String> choices) {
        return new Switch<>(name, "one of " + String.join(", ", choices), text -> {
            String choice = text.trim().toLowerCase(Locale.ROOT);
            if (!choices.contains(choice)) {
                throw new IllegalArgumentException(text);
            }
            return choice;
        }, v -> v, start);
    }

    public String name() {
        return name;
    }

    public T get() {
        return current.value();
    }

    /** Whether it acts on a request for {@code key} (an emoji): always, unless it was limited to another. */
    public boolean appliesTo(String key) {
        String only = current.emoji();
        return only == null || only.equals(key);
    }

    /** The one emoji it was limited to, else {@code fallback}. */
    public String emojiOr(String fallback) {
        String only = current.emoji();
        return only == null ? fallback : only;
    }

    /** Set blind: the part acts on it and says nothing of it, in spans, logs or listings. */
    public boolean hidden() {
        return current.hidden();
    }

    /** Whether it can be limited to one emoji. */
    public boolean limitable() {
        return !keys.isEmpty();
    }

    /** Its value, written as it is set; listings show "hidden" instead while it is {@link #hidden()}. */
    public String text() {
        return format.apply(current.value());
    }

    /** The emoji it is limited to, or "" when it acts on every request. */
    public String emojiText() {
        String only = current.emoji();
        return only == null ? "" : only;
    }

    public String startText() {
        return format.apply(start);
    }

    /** What the switch accepts, for messages and for `fault list`. */
    public String allowed() {
        return allowed;
    }

    /** Whether it differs from the value it started with: a fault that is on. */
    public boolean changed() {
        return !text().equals(startText()) || current.emoji() != null || current.hidden();
    }

    /**
     * @throws IllegalArgumentException with a message naming the switch and what it accepts; the
     *                                  running value is then unchanged
     */
    public void set(String text) {
        set(text, null, false);
    }

    /**
     * @param key    the one emoji it is to act on, or null for every request
     * @param hidden whether the part is to act on it without ever naming it
     * @throws IllegalArgumentException with a message naming the switch and what it accepts (or that it
     *                                  cannot be limited to that emoji); the running setting is then unchanged
     */
    public void set(String text, String key, boolean hidden) {
        T parsed;
        try {
            parsed = parse.apply(text == null ? "" : text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " must be " + allowed + ", got '" + text + "'");
        }
        if (key != null && keys.isEmpty()) {
            throw new IllegalArgumentException(name + " acts on every request: it cannot be limited to one emoji");
        }
        if (key != null && !keys.contains(key)) {
            throw new IllegalArgumentException(name + " can be limited to one of the " + keys.size() + " emoji, not '" + key
                    + "'; they are " + String.join(" ", keys.stream().sorted().toList()));
        }
        current = new Setting<>(parsed, key, hidden);
    }

    /** Back to its start value, acting on every request, shown again. */
    public void reset() {
        current = new Setting<>(start, null, false);
    }

    static Duration duration(String text) {
        String v = text.trim().toLowerCase(Locale.ROOT);
        Duration d;
        if (v.equals("0")) {
            d = Duration.ZERO;
        } else if (v.matches("\\d{1,5}ms")) {
            d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        } else if (v.matches("\\d{1,2}s")) {
            d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
        } else {
            throw new IllegalArgumentException(text);
        }
        if (d.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException(text);
        }
        return d;
    }

    static String format(Duration d) {
        return d.toMillis() % 1000 == 0 && !d.isZero() ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    static double probability(String text) {
        double p = Double.parseDouble(text.trim());
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(text);
        }
        return p;
    }

    private static String stripZeros(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
