package io.emojivoto.tracecontext;

import java.util.ArrayList;
import java.util.List;

/** Header fields as an ordered list of name-value pairs, as they came: the tests' {@link TraceHeaders}. */
public final class ListHeaders implements TraceHeaders {

    private final List<String[]> fields = new ArrayList<>();

    /** Fields from name, value, name, value… */
    public static ListHeaders of(String... pairs) {
        ListHeaders headers = new ListHeaders();
        for (int i = 0; i < pairs.length; i += 2) {
            headers.fields.add(new String[] {pairs[i], pairs[i + 1]});
        }
        return headers;
    }

    @Override
    public List<String> getAll(String name) {
        List<String> values = new ArrayList<>();
        for (String[] field : fields) {
            if (field[0].equalsIgnoreCase(name)) {
                values.add(field[1]);
            }
        }
        return values;
    }

    /** The one value of {@code name}, or null. */
    public String get(String name) {
        List<String> values = getAll(name);
        return values.isEmpty() ? null : values.get(0);
    }

    @Override
    public void set(String name, String value) {
        remove(name);
        fields.add(new String[] {name, value});
    }

    @Override
    public void remove(String name) {
        fields.removeIf(field -> field[0].equalsIgnoreCase(name));
    }
}
