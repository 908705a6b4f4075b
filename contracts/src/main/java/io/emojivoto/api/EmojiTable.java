package io.emojivoto.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The emoji of emojivoto, read once from {@code emoji.tsv} beside this class: the single definition
 * that emoji-svc serves, voting-svc counts and web-svc validates against.
 */
public final class EmojiTable {

    /** One emoji. {@code listed} is false for an emoji that only survives as a Vote RPC. */
    public record Entry(String shortcode, String unicode, boolean listed) {

        /** The VotingService RPC that counts a vote for this emoji: {@code :point_up_2:} → {@code VotePointUp2}. */
        public String voteMethodName() {
            StringBuilder name = new StringBuilder("Vote");
            for (String word : shortcode.substring(1, shortcode.length() - 1).split("_")) {
                if (!word.isEmpty()) {
                    name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
                }
            }
            return name.toString();
        }
    }

    private static final EmojiTable INSTANCE = load();

    private final List<Entry> all;
    private final List<Entry> listed;
    private final Map<String, Entry> byShortcode;

    private EmojiTable(List<Entry> all) {
        this.all = List.copyOf(all);
        this.listed = all.stream().filter(Entry::listed).toList();
        Map<String, Entry> index = new LinkedHashMap<>();
        for (Entry entry : all) {
            if (index.put(entry.shortcode(), entry) != null) {
                throw new IllegalStateException("emoji.tsv lists " + entry.shortcode() + " twice");
            }
        }
        this.byShortcode = Collections.unmodifiableMap(index);
    }

    public static EmojiTable get() {
        return INSTANCE;
    }

    /** The emoji people can see and vote for, in the original's order (99 of them). */
    public List<Entry> listed() {
        return listed;
    }

    /** Every emoji that has a Vote RPC, listed or not. */
    public List<Entry> all() {
        return all;
    }

    /** Exact, case-sensitive lookup among the listed emoji, colons included. */
    public Optional<Entry> findListed(String shortcode) {
        return Optional.ofNullable(shortcode).map(byShortcode::get).filter(Entry::listed);
    }

    /** Lookup among all emoji, retired ones included. */
    public Optional<Entry> find(String shortcode) {
        return Optional.ofNullable(shortcode).map(byShortcode::get);
    }

    private static EmojiTable load() {
        try (InputStream in = EmojiTable.class.getResourceAsStream("emoji.tsv")) {
            if (in == null) {
                throw new IllegalStateException("emoji.tsv is missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<Entry> entries = new ArrayList<>();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t");
                if (columns.length != 3) {
                    throw new IllegalStateException("emoji.tsv: expected 3 tab-separated columns in: " + line);
                }
                entries.add(new Entry(columns[0], fromCodePoints(columns[1]), parseStatus(columns[2])));
            }
            return new EmojiTable(entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fromCodePoints(String hex) {
        int[] codePoints = Arrays.stream(hex.trim().split(" ")).mapToInt(cp -> Integer.parseInt(cp, 16)).toArray();
        return new String(codePoints, 0, codePoints.length);
    }

    private static boolean parseStatus(String status) {
        return switch (status) {
            case "listed" -> true;
            case "retired" -> false;
            default -> throw new IllegalStateException("emoji.tsv: unknown status " + status);
        };
    }
}
