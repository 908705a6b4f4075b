package io.emojivoto.proxy.http1;

import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A fixed set of header names, matched ignoring case. A name is looked up by its length first:
 * most header names have a length none of the set has, and cost one array read, which matters
 * on the per-request path where every header of every message is checked.
 */
final class HeaderNameSet {

    private final CharSequence[] names;
    private final byte[][] lowerCase; // the names as lower-case ASCII, for comparing with bytes as they came
    private final int[][] byLength; // name length → positions in names

    HeaderNameSet(CharSequence... names) {
        this.names = names.clone();
        lowerCase = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            lowerCase[i] = names[i].toString().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        }
        int longest = 0;
        for (CharSequence name : names) {
            longest = Math.max(longest, name.length());
        }
        byLength = new int[longest + 1][];
        for (int length = 0; length <= longest; length++) {
            int n = 0;
            int[] positions = new int[names.length];
            for (int i = 0; i < names.length; i++) {
                if (names[i].length() == length) {
                    positions[n++] = i;
                }
            }
            byLength[length] = Arrays.copyOf(positions, n);
        }
    }

    /** The position of {@code name} in the set's constructor arguments, or -1. */
    int indexOf(CharSequence name) {
        if (name.length() >= byLength.length) {
            return -1;
        }
        for (int i : byLength[name.length()]) {
            if (AsciiString.contentEqualsIgnoreCase(name, names[i])) {
                return i;
            }
        }
        return -1;
    }

    /** As {@link #indexOf(CharSequence)}, for a name that lies in {@code bytes[from, to)}. */
    int indexOf(byte[] bytes, int from, int to) {
        int length = to - from;
        if (length >= byLength.length) {
            return -1;
        }
        for (int i : byLength[length]) {
            byte[] candidate = lowerCase[i];
            int k = 0;
            while (k < length && lower(bytes[from + k]) == candidate[k]) {
                k++;
            }
            if (k == length) {
                return i;
            }
        }
        return -1;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    boolean contains(CharSequence name) {
        return indexOf(name) >= 0;
    }
}
