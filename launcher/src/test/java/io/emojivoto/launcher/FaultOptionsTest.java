package io.emojivoto.launcher;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `fault`'s options on a form that does not take them: a usage error (exit 2) before any pipeline is looked for. */
class FaultOptionsTest {

    @TempDir
    Path runDir;

    private void refused(String expected, String... args) {
        Cli cli = new Cli(new PrintStream(new ByteArrayOutputStream()), runDir);
        assertThatThrownBy(() -> cli.run(args)).as(String.join(" ", args)).isInstanceOf(UsageException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void blind_emoji_and_reveal_only_where_they_mean_something() {
        refused("--blind and --emoji are for fault set and fault set-one-of", "fault", "list", "--blind");
        refused("--blind and --emoji are for fault set and fault set-one-of", "fault", "clear", "--emoji", ":joy:");
        refused("--reveal is for fault list", "fault", "set", "voting-svc", "delay", "1s", "--reveal");
        refused("--emoji needs a value", "fault", "set", "voting-svc", "delay", "1s", "--emoji");
        refused("fault has no option --hidden", "fault", "list", "--hidden");
    }
}
