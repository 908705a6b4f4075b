package io.emojivoto.spanvocabulary;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/spans.md, {@link SpanVocabulary} and the ingress's Lua table {@code TAG} name the same things. */
class SpanVocabularyTest {

    private static final Path ROOT = Path.of("..");

    private static Set<String> constants(Class<?> type) throws IllegalAccessException {
        Set<String> values = new TreeSet<>();
        for (Field field : type.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                values.add((String) field.get(null));
            }
        }
        return values;
    }

    /** The rows of the table under {@code heading}: first cell (backticks off) → the other cells. */
    private static Map<String, List<String>> table(String heading) throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("docs/spans.md"));
        int start = lines.indexOf(heading);
        assertThat(start).as(heading + " in docs/spans.md").isNotNegative();
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (line.startsWith("| `")) {
                List<String> cells = new ArrayList<>();
                for (String cell : line.substring(1, line.length() - 1).split("\\|")) {
                    cells.add(cell.trim());
                }
                for (String name : cells.get(0).replace("`", "").split(",\\s*")) {
                    rows.put(name, cells.subList(1, cells.size()));
                }
            }
        }
        return rows;
    }

    private static Map<String, String> luaTags() throws IOException {
        String lua = Files.readString(ROOT.resolve("ingress/nginx/lua/emojivoto/tracing.lua"));
        Matcher block = Pattern.compile("(?s)\\nlocal TAG = \\{(.*?)\\n}").matcher(lua);
        assertThat(block.find()).as("the table TAG in tracing.lua").isTrue();
        Map<String, String> tags = new LinkedHashMap<>();
        Matcher entry = Pattern.compile("(\\w+) = \"([^\"]+)\"").matcher(block.group(1));
        while (entry.find()) {
            tags.put(entry.group(1), entry.group(2));
        }
        return tags;
    }

    @Test
    void the_tags_table_lists_exactly_the_tags_of_the_vocabulary() throws Exception {
        assertThat(new TreeSet<>(table("## Tags").keySet())).isEqualTo(constants(SpanVocabulary.class));
    }

    @Test
    void the_events_table_lists_exactly_the_events_of_the_vocabulary() throws Exception {
        assertThat(new TreeSet<>(table("## Events").keySet())).isEqualTo(constants(SpanVocabulary.Event.class));
    }

    @Test
    void our_span_names_are_in_the_names_table() throws Exception {
        String names = String.join("\n", Files.readAllLines(ROOT.resolve("docs/spans.md")));
        for (String name : constants(SpanVocabulary.Name.class)) {
            assertThat(names).contains("| `" + name + "` |");
        }
    }

    @Test
    void the_ingress_puts_exactly_the_tags_marked_I_and_no_name_of_its_own() throws Exception {
        Set<String> marked = new TreeSet<>();
        table("## Tags").forEach((tag, cells) -> {
            if (List.of(cells.get(1).split("\\s+")).contains("I")) {
                marked.add(tag);
            }
        });
        assertThat(new TreeSet<>(luaTags().values())).isEqualTo(marked);
        assertThat(constants(SpanVocabulary.class)).containsAll(luaTags().values());
    }

    @Test
    void the_lua_sets_tags_only_through_its_table() throws IOException {
        String lua = Files.readString(ROOT.resolve("ingress/nginx/lua/emojivoto/tracing.lua"));
        assertThat(Pattern.compile("tags\\[\"").matcher(lua).find()).as("a tag named in place, not through TAG").isFalse();
        assertThat(Pattern.compile("\\[\"[a-z_]+\\.[a-z_.]+\"\\] =").matcher(lua).find()).as("a dotted name outside TAG").isFalse();
    }
}
