package io.emojivoto.tracecontext;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.tracecontext.Reading.Found;
import io.emojivoto.tracecontext.Reading.Invalid;
import org.junit.jupiter.api.Test;

/**
 * traceparent, with Trace Context's own examples (section 3.2) and the W3C test suite's cases
 * (w3c/trace-context, test/test.py: test_traceparent_*).
 */
class W3cTraceparentTest {

    private static final String IDS = "-12345678901234567890123456789012-1234567890123456-";

    @Test
    void the_specs_examples() {
        Found sampled = (Found) W3cTraceparent.read("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(sampled.ids().high()).isEqualTo(0x4bf92f3577b34da6L);
        assertThat(sampled.ids().low()).isEqualTo(0xa3ce929d0e0e4736L);
        assertThat(sampled.ids().span()).isEqualTo(0x00f067aa0ba902b7L);
        assertThat(sampled.sampled()).isTrue();
        assertThat(((Found) W3cTraceparent.read("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")).sampled()).isFalse();
    }

    @Test
    void a_later_version_is_read_as_far_as_version_00_defines_it() {
        assertThat(W3cTraceparent.read("cc" + IDS + "01")).as("test_traceparent_version_0xcc").isInstanceOf(Found.class);
        assertThat(W3cTraceparent.read("cc" + IDS + "01-what-the-future-will-be-like")).isInstanceOf(Found.class);
        assertThat(W3cTraceparent.read("01" + IDS + "01")).isInstanceOf(Found.class);
        assertThat(W3cTraceparent.read("cc" + IDS + "01.what-the-future-will-be-like")).isInstanceOf(Invalid.class);
    }

    @Test
    void version_ff_and_versions_of_another_shape_are_invalid() {
        for (String bad : new String[] {"ff" + IDS + "01", ".0" + IDS + "01", "0." + IDS + "01", "000" + IDS + "01", "0000" + IDS + "01",
                "0" + IDS + "01", "CC" + IDS + "01"}) {
            assertThat(W3cTraceparent.read(bad)).as(bad).isInstanceOf(Invalid.class);
        }
    }

    @Test
    void version_00_is_exactly_55_characters() {
        assertThat(W3cTraceparent.read("00" + IDS + "01.")).isInstanceOf(Invalid.class);
        assertThat(W3cTraceparent.read("00" + IDS + "01-what-the-future-will-be-like")).isInstanceOf(Invalid.class);
        assertThat(W3cTraceparent.read("00" + IDS + "001")).isInstanceOf(Invalid.class);
        assertThat(W3cTraceparent.read("00" + IDS + "1")).isInstanceOf(Invalid.class);
    }

    @Test
    void ids_of_the_wrong_length_or_characters_or_all_zeros_are_invalid() {
        String span = "1234567890123456";
        for (String bad : new String[] {"00-00000000000000000000000000000000-" + span + "-01", "00-.2345678901234567890123456789012-" + span + "-01",
                "00-123456789012345678901234567890123-" + span + "-01", "00-1234567890123456789012345678901-" + span + "-01",
                "00-12345678901234567890123456789012-0000000000000000-01", "00-12345678901234567890123456789012-123456789012345.-01",
                "00-12345678901234567890123456789012-12345678901234567-01", "00-12345678901234567890123456789012-123456789012345-01",
                "00-12345678901234567890123456789012-" + span + "-.0", "00-ABCDEF78901234567890123456789012-" + span + "-01"}) {
            assertThat(W3cTraceparent.read(bad)).as(bad).isInstanceOf(Invalid.class);
        }
    }

    @Test
    void flags_keep_their_reserved_bits_when_read_and_a_writer_sends_only_the_known_ones() {
        Found reserved = (Found) W3cTraceparent.read("00" + IDS + "09");
        assertThat(reserved.w3cFlags()).isEqualTo(0x09);
        assertThat(reserved.sampled()).isTrue();
        assertThat(W3cTraceparent.write("12345678901234567890123456789012", "00f067aa0ba902b7", 0x09))
                .isEqualTo("00-12345678901234567890123456789012-00f067aa0ba902b7-01");
        assertThat(W3cTraceparent.write("7890123456789012", "00f067aa0ba902b7", 0x03))
                .isEqualTo("00-00000000000000007890123456789012-00f067aa0ba902b7-03");
    }
}
