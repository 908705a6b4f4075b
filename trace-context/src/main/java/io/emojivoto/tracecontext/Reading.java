package io.emojivoto.tracecontext;

import io.emojivoto.tracecontext.TraceIds.Ids;

/** What the headers of one format (B3 single, B3 multi, W3C) said: nothing, something invalid, or a context. */
sealed interface Reading {

    /** None of the format's headers came. */
    record None() implements Reading {
    }

    None NONE = new None();

    /** A header of the format came, and is not what the format allows. */
    record Invalid(String reason) implements Reading {
    }

    /**
     * What the format carried.
     *
     * @param ids      the trace and span id; null when the headers carried a sampling decision alone
     * @param sampled  the decision: true, false, or null when the caller deferred it
     * @param debug    B3's debug flag, which implies sampled
     * @param w3cFlags W3C's trace-flags byte; 0 for B3
     */
    record Found(Ids ids, Boolean sampled, boolean debug, int w3cFlags) implements Reading {
    }
}
