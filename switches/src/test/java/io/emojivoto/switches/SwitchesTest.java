package io.emojivoto.switches;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SwitchesTest {

    private final Switches switches = new Switches("test-part");
    private final Switch<Duration> delay = switches.add(Switch.delay("delay", Duration.ZERO));
    private final Switch<Double> rate = switches.add(Switch.probability("failure-rate", 1.0));
    private final Switch<String> mode = switches.add(Switch.choice("leaderboard", "per-emoji", List.of("per-emoji", "batched")));
    private final Switch<Boolean> propagation = switches.add(Switch.onOff("propagation", true));

    @Test
    void each_kind_takes_its_values_and_says_them_back_as_written() {
        switches.set("delay", "300ms");
        switches.set("failure-rate", "0.25");
        switches.set("leaderboard", " Batched ");
        switches.set("propagation", "off");
        assertThat(delay.get()).isEqualTo(Duration.ofMillis(300));
        assertThat(rate.get()).isEqualTo(0.25);
        assertThat(mode.get()).isEqualTo("batched");
        assertThat(propagation.get()).isFalse();
        switches.set("delay", "2s");
        assertThat(delay.text()).isEqualTo("2s");
        assertThat(rate.text()).isEqualTo("0.25");
        assertThat(propagation.text()).isEqualTo("off");
    }

    @Test
    void a_bad_value_is_refused_with_what_the_switch_takes_and_nothing_changes() {
        for (String[] bad : new String[][] {{"delay", "61s"}, {"delay", "-1ms"}, {"delay", "soon"}, {"failure-rate", "1.5"},
                {"failure-rate", "NaN"}, {"leaderboard", "cached"}, {"propagation", "maybe"}, {"propagation", ""}}) {
            assertThatThrownBy(() -> switches.set(bad[0], bad[1])).as(bad[0] + "=" + bad[1])
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(bad[0] + " must be ");
        }
        Switches untouched = new Switches("test-part");
        untouched.add(Switch.delay("delay", Duration.ZERO));
        untouched.add(Switch.probability("failure-rate", 1.0));
        untouched.add(Switch.choice("leaderboard", "per-emoji", List.of("per-emoji", "batched")));
        untouched.add(Switch.onOff("propagation", true));
        assertThat(switches.listing()).isEqualTo(untouched.listing());
    }

    @Test
    void an_unknown_switch_is_refused_with_the_names_there_are() {
        assertThatThrownBy(() -> switches.set("latency", "1s")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("test-part has no switch 'latency'; it has [delay, failure-rate, leaderboard, propagation]");
    }

    @Test
    void the_listing_shows_value_start_and_what_each_takes_and_reset_puts_all_back() {
        switches.set("propagation", "off");
        @SuppressWarnings("unchecked")
        List<Map<String, String>> listed = (List<Map<String, String>>) switches.listing().get("switches");
        assertThat(switches.listing()).containsEntry("part", "test-part");
        assertThat(listed.get(3)).containsExactly(Map.entry("name", "propagation"), Map.entry("value", "off"),
                Map.entry("start", "on"), Map.entry("allowed", "on or off"), Map.entry("emoji", ""), Map.entry("hidden", "false"));
        assertThat(propagation.changed()).isTrue();
        switches.resetAll();
        assertThat(propagation.get()).isTrue();
        assertThat(propagation.changed()).isFalse();
    }

    @Test
    void two_switches_of_one_name_are_a_mistake() {
        assertThatThrownBy(() -> switches.add(Switch.onOff("delay", true))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_blind_switch_acts_but_every_listing_says_hidden_until_revealed_and_reset_shows_it_again() {
        switches.set("failure-rate", "0.5", null, true);
        assertThat(rate.get()).as("it acts").isEqualTo(0.5);
        assertThat(rate.hidden()).isTrue();
        assertThat(entry(switches.listing(), "failure-rate")).containsEntry("value", "hidden").containsEntry("hidden", "true");
        assertThat(entry(switches.listing(true), "failure-rate")).containsEntry("value", "0.5");
        switches.set("failure-rate", "0.5");
        assertThat(rate.hidden()).as("set again without blind: shown").isFalse();
        switches.set("delay", "0ms", null, true);
        assertThat(delay.changed()).as("hidden at its start value still counts as set: status must say so").isTrue();
        switches.resetAll();
        assertThat(delay.hidden()).isFalse();
        assertThat(entry(switches.listing(), "delay")).containsEntry("value", "0ms");
    }

    @Test
    void a_switch_limited_to_one_emoji_acts_on_that_emoji_only_and_a_hidden_one_hides_the_emoji_too() {
        Switches voting = new Switches("voting-svc");
        Switch<Duration> slow = voting.add(Switch.delay("delay", Duration.ZERO).limitableToOneEmoji(java.util.Set.of(":ghost:", ":joy:")));
        assertThat(slow.appliesTo(":joy:")).as("not limited: every emoji").isTrue();
        voting.set("delay", "300ms", ":ghost:", false);
        assertThat(slow.appliesTo(":ghost:")).isTrue();
        assertThat(slow.appliesTo(":joy:")).isFalse();
        assertThat(slow.emojiOr(":doughnut:")).isEqualTo(":ghost:");
        assertThat(entry(voting.listing(), "delay")).containsEntry("emoji", ":ghost:");
        voting.set("delay", "300ms", ":ghost:", true);
        assertThat(entry(voting.listing(), "delay")).containsEntry("value", "hidden").containsEntry("emoji", "");
        assertThat(entry(voting.listing(true), "delay")).containsEntry("emoji", ":ghost:");
        voting.resetAll();
        assertThat(slow.appliesTo(":joy:")).isTrue();
        assertThat(slow.emojiOr(":doughnut:")).isEqualTo(":doughnut:");
    }

    @Test
    void an_emoji_on_a_switch_that_takes_none_or_an_emoji_not_in_the_table_is_refused_and_nothing_changes() {
        assertThatThrownBy(() -> switches.set("delay", "300ms", ":ghost:", false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delay acts on every request: it cannot be limited to one emoji");
        Switches voting = new Switches("voting-svc");
        Switch<Duration> slow = voting.add(Switch.delay("delay", Duration.ZERO).limitableToOneEmoji(java.util.Set.of(":ghost:", ":joy:")));
        assertThatThrownBy(() -> voting.set("delay", "300ms", ":unicorn:", true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delay can be limited to one of the 2 emoji, not ':unicorn:'; they are :ghost: :joy:");
        assertThat(delay.get()).isZero();
        assertThat(slow.get()).isZero();
        assertThat(slow.hidden()).isFalse();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> entry(Map<String, Object> listing, String name) {
        return ((List<Map<String, String>>) listing.get("switches")).stream().filter(e -> e.get("name").equals(name)).findFirst()
                .orElseThrow();
    }
}
