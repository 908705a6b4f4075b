package io.emojivoto.common.faults;

import io.emojivoto.spanvocabulary.SpanVocabulary;
import io.emojivoto.switches.Switch;
import io.emojivoto.switches.Switches;
import io.grpc.Context;
import io.micrometer.tracing.Span;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The two switches of a gRPC service (emoji-svc's and voting-svc's): {@code delay}, added to every
 * call, and {@code failure-rate}, how often the call that can fail does. A fault that strikes tags the
 * call's span, {@code emojivoto.fault=delay} or {@code emojivoto.fault=failure-rate}, so that a learner
 * finds it in the trace, unless it was set blind: then the learner finds it by comparing traces.
 */
public final class CallFaults {

    public final Switch<Duration> delay;
    public final Switch<Double> failureRate;

    public CallFaults(Switches switches, Duration startDelay, double startFailureRate) {
        this(switches, startDelay, startFailureRate, Set.of());
    }

    /** @param emoji the emoji each switch can be limited to ({@code --emoji}); none: every call alike */
    public CallFaults(Switches switches, Duration startDelay, double startFailureRate, Set<String> emoji) {
        this.delay = switches.add(Switch.delay("delay", startDelay));
        this.failureRate = switches.add(Switch.probability("failure-rate", startFailureRate));
        if (!emoji.isEmpty()) {
            delay.limitableToOneEmoji(emoji);
            failureRate.limitableToOneEmoji(emoji);
        }
    }

    /** Whether this call fails now, as {@code failure-rate} draws it; its span says so when it does. */
    public boolean failsNow(Span span) {
        boolean fails = ThreadLocalRandom.current().nextDouble() < failureRate.get();
        if (fails && !failureRate.hidden()) {
            span.tag(SpanVocabulary.FAULT, "failure-rate");
        }
        return fails;
    }

    /** Why a call failed, for its log line and its status: the switch, or nothing when it was set blind. */
    public String failureReason() {
        return failureRate.hidden() ? "" : " on purpose (failure-rate " + failureRate.text() + ")";
    }

    /** {@link #waitOutDelay(Span, String)} for a call that is not about one emoji. */
    public boolean waitOutDelay(Span span) {
        return waitOutDelay(span, null);
    }

    /**
     * Waits out {@code delay} on the calling thread, inside the call's span, so that the span and the
     * logs keep their trace context; a delay limited to another emoji than {@code emoji} is skipped.
     *
     * @return false when the caller gave up meanwhile (its deadline passed, or it cancelled): the call
     *         is then to end without doing its work, which nobody would account for
     */
    public boolean waitOutDelay(Span span, String emoji) {
        Duration wait = delay.get();
        if (!wait.isZero() && delay.appliesTo(emoji)) {
            if (!delay.hidden()) {
                span.tag(SpanVocabulary.FAULT, "delay");
            }
            try {
                TimeUnit.NANOSECONDS.sleep(wait.toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !Context.current().isCancelled();
    }
}
