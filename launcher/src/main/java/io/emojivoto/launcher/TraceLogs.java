package io.emojivoto.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * `./emojivoto logs TRACE_ID`: every log line of one trace, from every part, in time order. A trace id
 * is all it takes because each part writes it on its lines about a request: the services in their
 * log pattern's correlation field (Micrometer Tracing puts the current trace id there), the ingress in
 * its access log ({@code trace=…}, with the time in milliseconds, {@code t=…}).
 */
final class TraceLogs {

    /** One line of a part's log, and when it was written. */
    record Line(Instant time, String part, String text) {
    }

    /** A service's line starts with its instant (Spring Boot's default pattern, in UTC). */
    private static final Pattern SERVICE_TIME = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z)");
    /** The ingress's access log line ends its fields with t=<seconds since the epoch, to the millisecond>. */
    private static final Pattern INGRESS_TIME = Pattern.compile("\\bt=(\\d+)\\.(\\d{3})\\b");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private TraceLogs() {
    }

    /** The files a run writes its parts' logs to: each part's output, and the ingress's access log. */
    static List<Path> files(Path runDir) {
        List<Path> files = new ArrayList<>();
        Path logs = runDir.resolve("logs");
        if (Files.isDirectory(logs)) {
            try (Stream<Path> parts = Files.list(logs)) {
                parts.filter(f -> f.toString().endsWith(".log") && !f.getFileName().toString().equals("launcher.log"))
                        .sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Path access = runDir.resolve("nginx").resolve("logs").resolve("access.log");
        if (Files.exists(access)) {
            files.add(access);
        }
        return files;
    }

    /** Every line of those files that names the trace, oldest first (a line without a time of its own keeps its file's order). */
    static List<Line> of(String traceId, List<Path> files) {
        List<Line> found = new ArrayList<>();
        for (Path file : files) {
            String part = file.getFileName().toString().equals("access.log") ? "ingress"
                    : file.getFileName().toString().replaceFirst("\\.log$", "");
            Instant last = Instant.EPOCH;
            try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
                for (String text : (Iterable<String>) lines::iterator) {
                    Instant time = timeOf(text);
                    last = time == null ? last : time;
                    if (text.contains(traceId)) {
                        found.add(new Line(last, part, text));
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // a log being rotated or not readable: its lines are simply not found
            }
        }
        found.sort(Comparator.comparing(Line::time)); // stable: a file's lines stay in order
        return found;
    }

    static Instant timeOf(String text) {
        Matcher service = SERVICE_TIME.matcher(text);
        if (service.find()) {
            return Instant.parse(service.group(1));
        }
        Matcher ingress = INGRESS_TIME.matcher(text);
        if (ingress.find()) {
            return Instant.ofEpochSecond(Long.parseLong(ingress.group(1)), Long.parseLong(ingress.group(2)) * 1_000_000);
        }
        return null;
    }

    /** "07:38:39.990  voting-svc        the line": the time once, then the part, then the line as the part wrote it. */
    static String format(Line line) {
        return String.format("%s  %-17s %s", CLOCK.format(line.time()), line.part(), line.text());
    }
}
