package io.emojivoto.tracecontext;

import io.emojivoto.tracecontext.Reading.Found;
import io.emojivoto.tracecontext.Reading.Invalid;
import io.emojivoto.tracecontext.TraceIds.Ids;

/**
 * Reads the single {@code b3} header: {@code {trace}-{span}}, then optionally {@code -{sampling}} and
 * {@code -{parent}}; or a sampling decision alone ({@code 0}, {@code 1}, {@code d}). As the B3 spec
 * (openzipkin/b3-propagation) defines it.
 */
final class B3Single {

    private B3Single() {
    }

    static Reading read(CharSequence b3) {
        if (b3 == null) {
            return Reading.NONE;
        }
        int end = b3.length();
        int dash1 = TraceIds.indexOf(b3, '-', 0);
        if (dash1 < 0) { // a decision alone
            Found decision = end == 1 ? decision(b3.charAt(0), null) : null;
            return decision != null ? decision : new Invalid("b3: " + b3);
        }
        int dash2 = TraceIds.indexOf(b3, '-', dash1 + 1);
        int dash3 = dash2 < 0 ? -1 : TraceIds.indexOf(b3, '-', dash2 + 1);
        if (dash3 >= 0 && TraceIds.indexOf(b3, '-', dash3 + 1) >= 0) {
            return new Invalid("b3: too many fields");
        }
        Ids ids = TraceIds.ids(b3, 0, dash1, TraceIds.spanId(b3, dash1 + 1, dash2 < 0 ? end : dash2));
        if (ids == null) {
            return new Invalid("b3: bad ids");
        }
        if (dash2 < 0) {
            return new Found(ids, null, false, 0); // the caller deferred the decision
        }
        int stateEnd = dash3 < 0 ? end : dash3;
        Found found = stateEnd - dash2 == 2 ? decision(b3.charAt(dash2 + 1), ids) : null;
        if (found == null) {
            return new Invalid("b3: bad sampling state " + b3.subSequence(dash2 + 1, stateEnd));
        }
        if (dash3 >= 0 && TraceIds.spanId(b3, dash3 + 1, end) == 0) {
            return new Invalid("b3: bad parent id");
        }
        return found;
    }

    private static Found decision(char state, Ids ids) {
        return switch (state) {
            case '1' -> new Found(ids, true, false, 0);
            case '0' -> new Found(ids, false, false, 0);
            case 'd' -> new Found(ids, null, true, 0);
            default -> null;
        };
    }
}
