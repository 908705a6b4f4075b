package io.emojivoto.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.emojivoto.api.v1.EmojiProto;
import io.emojivoto.api.v1.VotingProto;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The wire contract of the original emojivoto (BuoyantIO/emojivoto, proto/Emoji.proto and
 * proto/Voting.proto), written down here as facts and checked against our protos as compiled: package,
 * services, methods in order with their message types, and every message's fields by name, number,
 * type and cardinality. Options and comments may differ; nothing on the wire may. This is what lets
 * the original web server run against our services and ours against theirs.
 */
class OriginalProtoContractTest {

    /** The original's Vote RPCs, in its order; Results comes after them. */
    private static final List<String> VOTE_RPCS = List.of("VotePoop", "VoteJoy", "VoteSunglasses", "VoteRelaxed",
            "VoteStuckOutTongueWinkingEye", "VoteMoneyMouthFace", "VoteFlushed", "VoteMask", "VoteNerdFace", "VoteGhost",
            "VoteSkullAndCrossbones", "VoteHeartEyesCat", "VoteHearNoEvil", "VoteSeeNoEvil", "VoteSpeakNoEvil", "VoteBoy",
            "VoteGirl", "VoteMan", "VoteWoman", "VoteOlderMan", "VotePoliceman", "VoteGuardsman", "VoteConstructionWorkerMan",
            "VotePrince", "VotePrincess", "VoteManInTuxedo", "VoteBrideWithVeil", "VoteMrsClaus", "VoteSanta", "VoteTurkey",
            "VoteRabbit", "VoteNoGoodWoman", "VoteOkWoman", "VoteRaisingHandWoman", "VoteBowingMan", "VoteManFacepalming",
            "VoteWomanShrugging", "VoteMassageWoman", "VoteWalkingMan", "VoteRunningMan", "VoteDancer", "VoteManDancing",
            "VoteDancingWomen", "VoteRainbow", "VoteSkier", "VoteGolfingMan", "VoteSurfingMan", "VoteBasketballMan",
            "VoteBikingMan", "VotePointUp2", "VoteVulcanSalute", "VoteMetal", "VoteCallMeHand", "VoteThumbsup", "VoteWave",
            "VoteClap", "VoteRaisedHands", "VotePray", "VoteDog", "VoteCat2", "VotePig", "VoteHatchingChick", "VoteSnail",
            "VoteBacon", "VotePizza", "VoteTaco", "VoteBurrito", "VoteRamen", "VoteDoughnut", "VoteChampagne",
            "VoteTropicalDrink", "VoteBeer", "VoteTumblerGlass", "VoteWorldMap", "VoteBeachUmbrella", "VoteMountainSnow",
            "VoteCamping", "VoteSteamLocomotive", "VoteFlightDeparture", "VoteRocket", "VoteStar2",
            "VoteSunBehindSmallCloud", "VoteCloudWithRain", "VoteFire", "VoteJackOLantern", "VoteBalloon", "VoteTada",
            "VoteTrophy", "VoteIphone", "VotePager", "VoteFax", "VoteBulb", "VoteMoneyWithWings", "VoteCrystalBall",
            "VoteUnderage", "VoteInterrobang", "Vote100", "VoteCheckeredFlag", "VoteCrossedSwords", "VoteFloppyDisk");

    /** The original's messages: each field as "name number type cardinality". */
    private static final Map<String, List<String>> MESSAGES = new LinkedHashMap<>();

    static {
        MESSAGES.put("Emoji", List.of("unicode 1 string single", "shortcode 2 string single"));
        MESSAGES.put("ListAllEmojiRequest", List.of());
        MESSAGES.put("ListAllEmojiResponse", List.of("list 1 emojivoto.v1.Emoji repeated"));
        MESSAGES.put("FindByShortcodeRequest", List.of("Shortcode 1 string single"));
        MESSAGES.put("FindByShortcodeResponse", List.of("Emoji 1 emojivoto.v1.Emoji single"));
        MESSAGES.put("VotingResult", List.of("Shortcode 1 string single", "Votes 2 int32 single"));
        MESSAGES.put("VoteRequest", List.of());
        MESSAGES.put("VoteResponse", List.of());
        MESSAGES.put("ResultsRequest", List.of());
        MESSAGES.put("ResultsResponse", List.of("results 1 emojivoto.v1.VotingResult repeated"));
    }

    private static String field(FieldDescriptor f) {
        String type = f.getType() == FieldDescriptor.Type.MESSAGE ? f.getMessageType().getFullName()
                : f.getType().name().toLowerCase(java.util.Locale.ROOT);
        return f.getName() + " " + f.getNumber() + " " + type + " " + (f.isRepeated() ? "repeated" : "single");
    }

    private static List<String> methods(ServiceDescriptor service) {
        List<String> methods = new ArrayList<>();
        for (MethodDescriptor m : service.getMethods()) {
            methods.add(m.getName() + "(" + m.getInputType().getName() + ") " + m.getOutputType().getName());
        }
        return methods;
    }

    @Test
    void both_files_are_proto3_in_package_emojivoto_v1() {
        for (FileDescriptor file : List.of(EmojiProto.getDescriptor(), VotingProto.getDescriptor())) {
            assertThat(file.getPackage()).isEqualTo("emojivoto.v1");
            assertThat(file.toProto().getSyntax()).isEqualTo("proto3");
        }
    }

    @Test
    void every_message_has_the_originals_fields_and_no_other() {
        Map<String, List<String>> ours = new LinkedHashMap<>();
        for (FileDescriptor file : List.of(EmojiProto.getDescriptor(), VotingProto.getDescriptor())) {
            for (Descriptor message : file.getMessageTypes()) {
                ours.put(message.getName(), message.getFields().stream().map(OriginalProtoContractTest::field).toList());
            }
        }
        assertThat(ours).isEqualTo(MESSAGES);
    }

    @Test
    void emoji_service_has_the_originals_two_methods() {
        ServiceDescriptor service = EmojiProto.getDescriptor().findServiceByName("EmojiService");
        assertThat(service.getFullName()).isEqualTo("emojivoto.v1.EmojiService");
        assertThat(methods(service)).containsExactly("ListAll(ListAllEmojiRequest) ListAllEmojiResponse",
                "FindByShortcode(FindByShortcodeRequest) FindByShortcodeResponse");
        assertThat(EmojiProto.getDescriptor().getServices()).hasSize(1);
    }

    @Test
    void voting_service_has_the_originals_hundred_votes_in_order_then_results() {
        ServiceDescriptor service = VotingProto.getDescriptor().findServiceByName("VotingService");
        assertThat(service.getFullName()).isEqualTo("emojivoto.v1.VotingService");
        List<String> expected = Stream.concat(VOTE_RPCS.stream().map(vote -> vote + "(VoteRequest) VoteResponse"),
                Stream.of("Results(ResultsRequest) ResultsResponse")).toList();
        assertThat(methods(service)).containsExactlyElementsOf(expected);
        assertThat(VOTE_RPCS).hasSize(100);
        assertThat(VotingProto.getDescriptor().getServices()).hasSize(1);
    }
}
