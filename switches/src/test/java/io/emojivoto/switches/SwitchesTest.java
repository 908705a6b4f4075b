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
                Map.entry("start", "on"), Map.entry("allowed", "on or off"));
        assertThat(propagation.changed()).isTrue();
        switches.resetAll();
        assertThat(propagation.get()).isTrue();
        assertThat(propagation.changed()).isFalse();
    }

    @Test
    void two_switches_of_one_name_are_a_mistake() {
        assertThatThrownBy(() -> switches.add(Switch.onOff("delay", true))).isInstanceOf(IllegalStateException.class);
    }
}
