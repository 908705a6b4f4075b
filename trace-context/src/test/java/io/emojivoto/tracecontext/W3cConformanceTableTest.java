package io.emojivoto.tracecontext;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/proxy.md's W3C conformance table says what {@link W3cConformanceCases} holds, which every part's tests run. */
class W3cConformanceTableTest {

    /** The table's rows by case id: its cells after the id. */
    private static Map<String, List<String>> table() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "docs", "proxy.md"));
        int start = lines.indexOf("## W3C Trace Context conformance");
        assertThat(start).as("the section in docs/proxy.md").isNotNegative();
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : lines.subList(start, lines.size())) {
            if (line.startsWith("## ") && !rows.isEmpty()) {
                break;
            }
            if (line.startsWith("| `")) {
                List<String> cells = new ArrayList<>();
                for (String cell : line.substring(1, line.length() - 1).split("\\|")) {
                    cells.add(cell.trim());
                }
                rows.put(cells.get(0).replace("`", ""), cells.subList(1, cells.size()));
            }
        }
        return rows;
    }

    @Test
    void the_table_has_every_case_in_order_and_says_what_each_part_does() throws IOException {
        Map<String, List<String>> table = table();
        List<W3cConformanceCases.Case> cases = W3cConformanceCases.all();
        assertThat(table.keySet()).containsExactlyElementsOf(cases.stream().map(W3cConformanceCases.Case::id).toList());
        for (W3cConformanceCases.Case row : cases) {
            String proxy = table.get(row.id()).get(2);
            String ingress = table.get(row.id()).get(3);
            assertThat(proxy.startsWith("takes part")).as(row.id() + ": " + proxy).isEqualTo(row.proxy().continues());
            assertThat(ingress.startsWith("continues")).as(row.id() + ": " + ingress).isEqualTo(row.ingress().continues());
            if (row.proxy().continues()) {
                assertThat(proxy).as(row.id()).contains("flags `" + row.proxy().flags() + "`");
                assertThat(proxy.contains("tracestate dropped")).as(row.id() + ": " + proxy)
                        .isEqualTo(row.proxy().tracestate() == null && String.join(" ", row.headers()).contains("tracestate"));
            } else {
                assertThat(proxy).as(row.id()).startsWith("untouched");
            }
            if (row.ingress().continues()) {
                assertThat(ingress).as(row.id()).contains("flags `" + row.ingress().flags() + "`");
                assertThat(ingress.contains("tracestate sent on")).as(row.id() + ": " + ingress).isEqualTo(row.ingress().tracestate() != null);
            } else {
                assertThat(ingress).as(row.id()).isEqualTo("a new trace");
            }
        }
    }
}
