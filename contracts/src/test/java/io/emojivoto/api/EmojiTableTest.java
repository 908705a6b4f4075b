package io.emojivoto.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.api.v1.VotingServiceGrpc;
import io.grpc.MethodDescriptor;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EmojiTableTest {

    private final EmojiTable table = EmojiTable.get();

    @Test
    void lists_the_99_emoji_of_the_original_in_order() {
        List<EmojiTable.Entry> listed = table.listed();
        assertThat(listed).hasSize(99);
        assertThat(listed.get(0)).isEqualTo(new EmojiTable.Entry(":joy:", "\uD83D\uDE02", true));
        assertThat(listed.get(2).shortcode()).isEqualTo(":doughnut:");
        assertThat(listed.get(98).shortcode()).isEqualTo(":poop:");
        assertThat(listed).extracting(EmojiTable.Entry::shortcode).doesNotHaveDuplicates();
        assertThat(listed).extracting(EmojiTable.Entry::unicode).doesNotHaveDuplicates();
    }

    @Test
    void keeps_the_exact_code_points_of_the_original() {
        assertThat(table.findListed(":man_facepalming:").orElseThrow().unicode())
                .isEqualTo(new String(new int[] {0x1F926, 0x200D, 0x2642}, 0, 3));
        assertThat(table.findListed(":crossed_swords:").orElseThrow().unicode()).isEqualTo("\u2694\uFE0F");
        assertThat(table.findListed(":100:").orElseThrow().unicode()).isEqualTo("\uD83D\uDCAF");
    }

    @Test
    void lookup_is_exact_and_case_sensitive() {
        assertThat(table.findListed(":joy:")).isPresent();
        assertThat(table.findListed(":JOY:")).isEmpty();
        assertThat(table.findListed("joy")).isEmpty();
        assertThat(table.findListed(null)).isEmpty();
        assertThat(table.findListed(":relaxed:")).as("retired emoji are not listed").isEmpty();
        assertThat(table.find(":relaxed:")).isPresent();
    }

    @Test
    void derives_vote_rpc_names_like_the_original() {
        assertThat(table.findListed(":point_up_2:").orElseThrow().voteMethodName()).isEqualTo("VotePointUp2");
        assertThat(table.findListed(":jack_o_lantern:").orElseThrow().voteMethodName()).isEqualTo("VoteJackOLantern");
        assertThat(table.findListed(":100:").orElseThrow().voteMethodName()).isEqualTo("Vote100");
    }

    @Test
    void every_vote_rpc_of_the_proto_belongs_to_exactly_one_emoji_and_back() {
        Set<String> protoVotes = VotingServiceGrpc.getServiceDescriptor().getMethods().stream()
                .map(MethodDescriptor::getBareMethodName)
                .filter(name -> name.startsWith("Vote"))
                .collect(Collectors.toSet());
        Set<String> tableVotes = table.all().stream().map(EmojiTable.Entry::voteMethodName).collect(Collectors.toSet());
        assertThat(protoVotes).hasSize(100);
        assertThat(tableVotes).isEqualTo(protoVotes);
    }
}
