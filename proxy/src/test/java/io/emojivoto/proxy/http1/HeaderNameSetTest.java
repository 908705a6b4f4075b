package io.emojivoto.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeaderNameSetTest {

    private final HeaderNameSet set = new HeaderNameSet("te", "connection", "keep-alive", "x-b3-traceid");

    @Test
    void finds_each_name_at_its_position_ignoring_case() {
        assertThat(set.indexOf("TE")).isZero();
        assertThat(set.indexOf("Connection")).isEqualTo(1);
        assertThat(set.indexOf("KEEP-ALIVE")).isEqualTo(2);
        assertThat(set.indexOf("x-B3-TraceId")).isEqualTo(3);
    }

    @Test
    void names_outside_the_set_are_not_found_whatever_their_length() {
        assertThat(set.indexOf("tx")).isEqualTo(-1);          // a length the set has
        assertThat(set.indexOf("user-agent")).isEqualTo(-1);  // the length of two of them
        assertThat(set.indexOf("host")).isEqualTo(-1);        // a length none has
        assertThat(set.indexOf("")).isEqualTo(-1);
        assertThat(set.contains("a-name-longer-than-any-in-the-set")).isFalse();
    }
}
