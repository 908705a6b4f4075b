package io.emojivoto.tracecontext;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks W3C's {@code tracestate} (www.w3.org/TR/trace-context, section 3.3): a list of
 * {@code key=value} members, split over as many fields as the sender liked (they join with commas),
 * optional white space around each member, empty members allowed and not counted.
 * <ul>
 *   <li>at most 32 members, no key twice;
 *   <li>a key: a lowercase letter, then up to 255 of {@code a-z 0-9 _ - * /}; or
 *       {@code tenant@system}, a tenant of up to 241 such characters starting with a letter or digit
 *       and a system of up to 14 starting with a letter;
 *   <li>a value: 1 to 256 printable ASCII characters other than {@code ,} and {@code =}, not ending in
 *       a space.
 * </ul>
 * Its length alone never makes it invalid: a participant may drop members to shorten it past 512
 * characters (section 3.3.1.5), and one that only passes it on keeps it whole.
 *
 * <p>An invalid {@code tracestate} does not affect {@code traceparent} (section 3.3.1.1): the context
 * is still read, and the list is not sent on.
 */
final class W3cTracestate {

    static final int MAX_MEMBERS = 32;

    private W3cTracestate() {
    }

    /** Why the list is invalid, or null when it is valid (or absent). */
    static String problem(List<? extends CharSequence> fields) {
        int members = 0;
        Set<String> keys = null;
        for (CharSequence field : fields) {
            int start = 0;
            while (start <= field.length()) {
                int comma = TraceIds.indexOf(field, ',', start);
                int end = comma < 0 ? field.length() : comma;
                int from = skipWhiteSpace(field, start, end);
                int to = trimWhiteSpace(field, from, end);
                if (from < to) { // an empty member is allowed, and not counted
                    if (++members > MAX_MEMBERS) {
                        return "tracestate: more than " + MAX_MEMBERS + " members";
                    }
                    int equals = TraceIds.indexOf(field, '=', from);
                    if (equals < 0 || equals >= to) {
                        return "tracestate: a member without '='";
                    }
                    if (!validKey(field, from, equals)) {
                        return "tracestate: bad key " + field.subSequence(from, equals);
                    }
                    if (!validValue(field, equals + 1, to)) {
                        return "tracestate: bad value for " + field.subSequence(from, equals);
                    }
                    if (keys == null) {
                        keys = new HashSet<>();
                    }
                    if (!keys.add(field.subSequence(from, equals).toString())) {
                        return "tracestate: key " + field.subSequence(from, equals) + " twice";
                    }
                }
                start = end + 1;
            }
        }
        return null;
    }

    private static boolean validKey(CharSequence s, int from, int to) {
        int at = TraceIds.indexOf(s, '@', from);
        if (at < 0 || at >= to) {
            return to - from <= 256 && isLetter(s.charAt(from)) && keyChars(s, from + 1, to);
        }
        int systemFrom = at + 1;
        return at - from >= 1 && at - from <= 241 && (isLetter(s.charAt(from)) || isDigit(s.charAt(from)))
                && keyChars(s, from + 1, at)
                && to - systemFrom >= 1 && to - systemFrom <= 14 && isLetter(s.charAt(systemFrom))
                && keyChars(s, systemFrom + 1, to);
    }

    private static boolean keyChars(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(isLetter(c) || isDigit(c) || c == '_' || c == '-' || c == '*' || c == '/')) {
                return false;
            }
        }
        return true;
    }

    private static boolean validValue(CharSequence s, int from, int to) {
        if (to - from < 1 || to - from > 256 || s.charAt(to - 1) == ' ') {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == ',' || c == '=') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isWhiteSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static int skipWhiteSpace(CharSequence s, int from, int to) {
        while (from < to && isWhiteSpace(s.charAt(from))) {
            from++;
        }
        return from;
    }

    private static int trimWhiteSpace(CharSequence s, int from, int to) {
        while (to > from && isWhiteSpace(s.charAt(to - 1))) {
            to--;
        }
        return to;
    }
}
