package io.emojivoto.launcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One command's arguments, read strictly: every option must be one the command takes, and an option
 * that takes a value must have one. Anything else is a {@link UsageException} before anything starts,
 * so that a typo such as {@code --sample-rat 1} is never silently ignored.
 */
final class Args {

    private final Map<String, String> options = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();
    private final List<String> raw;

    private Args(List<String> raw) {
        this.raw = List.copyOf(raw);
    }

    /**
     * @param flags  options without a value, e.g. --detach
     * @param valued options with one, e.g. --sample-rate 0.5 (or --sample-rate=0.5)
     */
    static Args parse(String command, List<String> args, Set<String> flags, Set<String> valued, int maxPositional) {
        Args parsed = new Args(args);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                if (parsed.positional.size() >= maxPositional) {
                    throw new UsageException(command + " takes no argument '" + arg + "'");
                }
                parsed.positional.add(arg);
                continue;
            }
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            if (flags.contains(name) && value == null) {
                parsed.options.put(name, "");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                        throw new UsageException(name + " needs a value");
                    }
                    value = args.get(++i);
                }
                if (parsed.options.containsKey(name)) {
                    throw new UsageException(name + " is given twice");
                }
                parsed.options.put(name, value);
            } else {
                throw new UsageException(command + " has no option " + name);
            }
        }
        return parsed;
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    String value(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    double number(String name, String fallback) {
        String value = value(name, fallback);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a number, got '" + value + "'");
        }
    }

    int integer(String name, String fallback) {
        String value = value(name, fallback);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a whole number, got '" + value + "'");
        }
    }

    List<String> positional() {
        return positional;
    }

    /** The arguments as given, without {@code drop} (a flag): for the detached supervisor's command line. */
    List<String> rawWithout(String drop) {
        return raw.stream().filter(a -> !a.equals(drop)).toList();
    }
}
