package io.emojivoto.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.localrun.ProjectPaths;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/commands.md, the one reference of ./emojivoto's commands and options, against the usage text
 * the program prints: every command and option of one is in the other.
 */
class CommandReferenceTest {

    private static final Pattern OPTION = Pattern.compile("--[a-z][a-z-]*");

    private static Set<String> all(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    @Test
    void every_option_of_the_usage_text_is_in_the_reference_and_the_reference_invents_none() throws Exception {
        String reference = Files.readString(ProjectPaths.root().resolve("docs/commands.md"));
        Set<String> usage = all(OPTION, Cli.USAGE);
        Set<String> documented = all(OPTION, reference);
        documented.remove("--help"); // help's other spelling, which the usage text need not show
        assertThat(documented).isEqualTo(usage);
    }

    @Test
    void every_command_of_the_usage_text_has_its_section_and_every_section_is_a_command() throws Exception {
        String reference = Files.readString(ProjectPaths.root().resolve("docs/commands.md"));
        Set<String> commands = all(Pattern.compile("(?<=\\./emojivoto )[a-z]+|(?<=\\| )[a-z]+(?= )"), Cli.USAGE);
        commands.removeAll(Set.of("list", "set", "clear")); // fault's forms, in fault's section
        Set<String> sections = all(Pattern.compile("(?m)(?<=^## )[a-z]+$"), reference);
        sections.remove("help");
        assertThat(sections).isEqualTo(commands);
        for (String form : new String[] {"fault list", "fault set PART NAME VALUE", "fault set-one-of PART,PART NAME VALUE", "fault clear [PART]"}) {
            assertThat(reference).contains("`" + form + "`");
            assertThat(Cli.USAGE).contains(form.substring("fault ".length()));
        }
    }
}
