package io.emojivoto.tracecontext;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.tracecontext.Reading.Found;
import io.emojivoto.tracecontext.Reading.Invalid;
import org.junit.jupiter.api.Test;

/** B3's multi-headers, with the B3 spec's examples (openzipkin/b3-propagation, "Multiple Headers"). */
class B3MultiTest {

    private static final String TRACE = "463ac35c9f6413ad48485a3953bb6124";
    private static final String SPAN = "a2fb4a1d1a96d312";

    @Test
    void sampled_deferred_denied_and_debug() {
        assertThat(((Found) B3Multi.read(TRACE, SPAN, null, "1", null)).sampled()).isTrue();
        assertThat(((Found) B3Multi.read(TRACE, SPAN, "0020000000000001", "true", null)).sampled()).as("old clients").isTrue();
        assertThat(((Found) B3Multi.read(TRACE, SPAN, null, null, null)).sampled()).isNull();
        assertThat(((Found) B3Multi.read(TRACE, SPAN, null, "0", null)).sampled()).isFalse();
        assertThat(((Found) B3Multi.read(TRACE, SPAN, null, null, "1")).debug()).isTrue();
        assertThat(((Found) B3Multi.read(TRACE.substring(16), SPAN, null, "1", null)).ids().high()).isZero();
    }

    @Test
    void a_decision_without_ids() {
        Found decision = (Found) B3Multi.read(null, null, null, "0", null);
        assertThat(decision.ids()).isNull();
        assertThat(decision.sampled()).isFalse();
        assertThat(B3Multi.read(null, null, null, null, null)).isSameAs(Reading.NONE);
    }

    @Test
    void what_the_spec_does_not_allow() {
        assertThat(B3Multi.read(TRACE, null, null, "1", null)).isInstanceOf(Invalid.class);
        assertThat(B3Multi.read(TRACE, SPAN, "-", "1", null)).isInstanceOf(Invalid.class);
        assertThat(B3Multi.read(TRACE, SPAN, null, "yes", null)).isInstanceOf(Invalid.class);
        assertThat(B3Multi.read(TRACE, SPAN, null, null, "2")).isInstanceOf(Invalid.class);
        assertThat(B3Multi.read(TRACE.toUpperCase(), SPAN, null, "1", null)).isInstanceOf(Invalid.class);
    }
}
