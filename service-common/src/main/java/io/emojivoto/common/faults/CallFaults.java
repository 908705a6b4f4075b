package io.emojivoto.common.faults;

import io.emojivoto.spanvocabulary.SpanVocabulary;
import io.emojivoto.switches.Switch;
import io.emojivoto.switches.Switches;
import io.grpc.Context;
import io.micrometer.tracing.Span;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The two switches of a gRPC service (emoji-svc's and voting-svc's): {@code delay}, added to every
 * call, and {@code failure-rate}, how often the call that can fail does. A fault that strikes tags the
 * call's span, {@code emojivoto.fault=delay} or {@code emojivoto.fault=failure-rate}, so that a learner finds it in the trace.
 */
public final class CallFaults {

    public final Switch<Duration> delay;
    public final Switch<Double> failureRate;

    public CallFaults(Switches switches, Duration startDelay, double startFailureRate) {
        this.delay = switches.add(Switch.delay("delay", startDelay));
        this.failureRate = switches.add(Switch.probability("failure-rate", startFailureRate));
    }

    /** Whether this call fails now, as {@code failure-rate} draws it; its span says so when it does. */
    public boolean failsNow(Span span) {
        boolean fails = ThreadLocalRandom.current().nextDouble() < failureRate.get();
        if (fails) {
            span.tag(SpanVocabulary.FAULT, "failure-rate");
        }
        return fails;
    }

    /**
     * Waits out {@code delay} on the calling thread, inside the call's span, so that the span and the
     * logs keep their trace context.
     *
     * @return false when the caller gave up meanwhile (its deadline passed, or it cancelled): the call
     *         is then to end without doing its work, which nobody would account for
     */
    public boolean waitOutDelay(Span span) {
        Duration wait = delay.get();
        if (!wait.isZero()) {
            span.tag(SpanVocabulary.FAULT, "delay");
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
