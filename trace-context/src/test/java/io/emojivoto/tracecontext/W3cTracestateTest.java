package io.emojivoto.tracecontext;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** tracestate, with Trace Context's examples (section 3.3) and the W3C test suite's cases (test_tracestate_*). */
class W3cTracestateTest {

    private static String problem(String... fields) {
        return W3cTracestate.problem(List.of(fields));
    }

    private static String members(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "bar%02d=%02d".formatted(i, i)).collect(Collectors.joining(","));
    }

    @Test
    void the_specs_examples_are_valid() {
        assertThat(problem("congo=t61rcWkgMzE")).isNull();
        assertThat(problem("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")).isNull();
        assertThat(problem("rojo=00f067aa0ba902b7", "congo=t61rcWkgMzE")).as("split over two fields").isNull();
        assertThat(problem("fw529a3039@dt=ZGQ4ZjE5ZTMtNDg3Yy00ZTY1")).as("a multi-tenant key").isNull();
    }

    @Test
    void white_space_and_empty_members_are_allowed() {
        assertThat(problem("foo=1 \t , \t bar=2, \t baz=3")).isNull();
        assertThat(problem("\t foo=1 \t")).isNull();
        assertThat(problem("")).isNull();
        assertThat(problem("foo=1", "")).isNull();
        assertThat(problem("foo=1,,bar=2")).isNull();
    }

    @Test
    void every_allowed_character() {
        String key = "abcdefghijklmnopqrstuvwxyz0123456789_-*/";
        StringBuilder value = new StringBuilder();
        for (char c = 0x20; c <= 0x7e; c++) {
            if (c != ',' && c != '=') {
                value.append(c);
            }
        }
        assertThat(problem(key + "=" + value)).isNull();
        assertThat(problem(key + "@a-z0-9_-*/=" + value)).isNull();
    }

    @Test
    void thirty_two_members_at_most_over_any_number_of_fields() {
        assertThat(problem(members(1, 10), members(11, 20), members(21, 30), members(31, 32))).isNull();
        assertThat(problem(members(1, 10), members(11, 20), members(21, 30), members(31, 33))).contains("32");
    }

    @Test
    void key_lengths() {
        assertThat(problem("z".repeat(256) + "=1")).isNull();
        assertThat(problem("z".repeat(257) + "=1")).isNotNull();
        assertThat(problem("t".repeat(241) + "@" + "v".repeat(14) + "=1")).isNull();
        assertThat(problem("t".repeat(242) + "@v=1")).isNotNull();
        assertThat(problem("t@" + "v".repeat(15) + "=1")).isNotNull();
    }

    @Test
    void a_long_list_is_not_invalid_for_its_length() {
        assertThat(problem("a=" + "x".repeat(256) + ",b=" + "y".repeat(256) + ",c=" + "z".repeat(256))).isNull();
    }

    @Test
    void what_the_spec_does_not_allow() {
        for (String[] bad : new String[][] {{"foo=1,foo=1"}, {"foo=1,foo=2"}, {"foo=1", "foo=2"}, {"foo =1"}, {"FOO=1"}, {"foo.bar=1"},
                {"foo@=1,bar=2"}, {"@foo=1,bar=2"}, {"foo@@bar=1,bar=2"}, {"foo@bar@baz=1,bar=2"}, {"foo=bar=baz"}, {"foo=,bar=3"},
                {"foo"}, {"1foo=1"}, {"foo=" + "v".repeat(257)}, {"foo=a\u00e9"}}) {
            assertThat(problem(bad)).as(String.join(" | ", bad)).isNotNull();
        }
    }
}
