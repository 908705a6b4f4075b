package io.emojivoto.switches;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime switches of one part, which it registers at start and reads on every request, and the
 * protocol every part serves them with (a service on its actuator, {@code /actuator/faults}; the
 * proxy on its admin listener, {@code /faults}; the ingress, in Lua, on its status listener): GET lists
 * them as {@link #listing}, POST {@code /NAME} with {@code {"value": "..."}} sets one ({@link #set}; a
 * value it cannot take is a 400 with the values it can), DELETE puts them all back ({@link #resetAll}).
 * {@code ./emojivoto fault} speaks to every part alike.
 */
public final class Switches {

    private final String part;
    private final Map<String, Switch<?>> switches = new LinkedHashMap<>();

    /** @param part the part's name, as {@code ./emojivoto fault list} shows it */
    public Switches(String part) {
        this.part = part;
    }

    public synchronized <T> Switch<T> add(Switch<T> added) {
        if (switches.putIfAbsent(added.name(), added) != null) {
            throw new IllegalStateException("two switches named " + added.name());
        }
        return added;
    }

    public synchronized List<Switch<?>> all() {
        return List.copyOf(switches.values());
    }

    /**
     * Sets the switch {@code name} to {@code value}.
     *
     * @throws IllegalArgumentException with a message for the caller (the part has no such switch, or
     *                                  the switch cannot take the value); nothing changes then
     */
    public void set(String name, String value) {
        set(name, value, null, false);
    }

    /**
     * Sets the switch {@code name} to {@code value}, limited to requests for {@code key} (null: all),
     * hidden from every listing, span and log line when {@code hidden}.
     *
     * @throws IllegalArgumentException as {@link #set(String, String)}, or when the switch cannot be
     *                                  limited to that key
     */
    public void set(String name, String value, String key, boolean hidden) {
        Switch<?> target;
        synchronized (this) {
            target = switches.get(name);
        }
        if (target == null) {
            throw new IllegalArgumentException(part + " has no switch '" + name + "'; it has "
                    + all().stream().map(Switch::name).toList());
        }
        target.set(value, key, hidden);
    }

    public synchronized void resetAll() {
        switches.values().forEach(Switch::reset);
    }

    /** What GET answers, with a hidden switch's value and key shown as "hidden". */
    public Map<String, Object> listing() {
        return listing(false);
    }

    /**
     * What GET answers: {@code {"part": …, "switches": [{"name", "value", "start", "allowed", "emoji",
     * "hidden"}, …]}}; {@code emoji} is the one key the switch is limited to, or "".
     *
     * @param reveal whether to show a hidden switch's value and key, or "hidden" for both
     */
    public Map<String, Object> listing(boolean reveal) {
        List<Map<String, String>> all = new ArrayList<>();
        for (Switch<?> s : all()) {
            boolean shown = reveal || !s.hidden();
            Map<String, String> one = new LinkedHashMap<>();
            one.put("name", s.name());
            one.put("value", shown ? s.text() : "hidden");
            one.put("start", s.startText());
            one.put("allowed", s.allowed());
            one.put("emoji", shown ? s.emojiText() : "");
            one.put("hidden", Boolean.toString(s.hidden()));
            all.add(one);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("part", part);
        body.put("switches", all);
        return body;
    }

    /** What a refused request answers, with a 400. */
    public static Map<String, Object> error(String message) {
        return Map.of("error", message);
    }
}
