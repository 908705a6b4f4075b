package io.emojivoto.common.faults;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The runtime switches of one service, which it registers at start and reads on every request. */
public final class FaultSwitches {

    private final Map<String, Switch<?>> switches = new LinkedHashMap<>();

    public synchronized <T> Switch<T> add(Switch<T> added) {
        if (switches.putIfAbsent(added.name(), added) != null) {
            throw new IllegalStateException("two switches named " + added.name());
        }
        return added;
    }

    public synchronized Collection<Switch<?>> all() {
        return java.util.List.copyOf(switches.values());
    }

    public synchronized Optional<Switch<?>> named(String name) {
        return Optional.ofNullable(switches.get(name));
    }

    public synchronized void resetAll() {
        switches.values().forEach(Switch::reset);
    }
}
