package io.emojivoto.voting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emojivoto.api.EmojiTable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class PollTest {

    private final Poll poll = new Poll(EmojiTable.get());

    @Test
    void counts_votes_and_lists_only_emoji_with_votes() {
        assertThat(poll.results()).isEmpty();
        poll.vote(":joy:");
        poll.vote(":joy:");
        assertThat(poll.results()).containsExactly(new Poll.Result(":joy:", 2));
    }

    @Test
    void most_votes_first_and_ties_in_the_emoji_table_order() {
        poll.vote(":poop:");            // last in the table
        poll.vote(":ghost:");
        poll.vote(":wave:");
        poll.vote(":wave:");
        poll.vote(":wave:");
        poll.vote(":sunglasses:");
        poll.vote(":sunglasses:");
        assertThat(poll.results()).containsExactly(
                new Poll.Result(":wave:", 3),
                new Poll.Result(":sunglasses:", 2),
                new Poll.Result(":ghost:", 1),
                new Poll.Result(":poop:", 1));
    }

    @Test
    void n_concurrent_votes_count_n() throws Exception {
        int threads = 8;
        int votesEach = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < votesEach; i++) {
                    poll.vote(":joy:");
                    poll.vote(i % 2 == 0 ? ":fire:" : ":taco:");
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        assertThat(poll.results()).containsExactly(
                new Poll.Result(":joy:", threads * votesEach),
                new Poll.Result(":taco:", threads * votesEach / 2),
                new Poll.Result(":fire:", threads * votesEach / 2));
    }

    @Test
    void refuses_a_shortcode_that_is_not_in_the_poll() {
        assertThatThrownBy(() -> poll.vote(":not_an_emoji:")).isInstanceOf(IllegalArgumentException.class);
    }
}
