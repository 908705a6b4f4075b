package io.emojivoto.spanreporter;

import brave.handler.MutableSpan;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import zipkin2.reporter.BytesEncoder;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.ReporterMetrics;
import zipkin2.reporter.brave.AsyncZipkinSpanHandler;
import zipkin2.reporter.brave.MutableSpanBytesEncoder;
import zipkin2.reporter.metrics.micrometer.MicrometerReporterMetrics;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * How the spans of a Java part (a service, a proxy) leave it: zipkin-reporter's bounded queue and
 * Zipkin v2 JSON over HTTP, as Spring Boot and Brave set it up by default, with two changes the
 * tracing-cost benchmark measured (docs/benchmarks.md):
 * <ul>
 *   <li>no flush thread woken by every span: zipkin-reporter's own thread is signalled by each span
 *       it is handed (a futex wake and a thread switch each, ~10 µs of CPU on a small virtual
 *       machine). Here a finished span is only queued, and one timer thread sends what has queued
 *       every {@link #FLUSH_EVERY_MS} ms;
 *   <li>no gzip: it cost ~7 µs of CPU per span, for a collector on the same host or in the same cluster.
 * </ul>
 * What does not change: a slow or dead collector never touches a request (sending happens on the
 * timer thread, and a full queue drops spans), and sent, dropped and queued spans are counted
 * (zipkin_reporter_spans_total, zipkin_reporter_spans_dropped_total, zipkin_reporter_queue_spans, …).
 */
public final class SpanReporter implements AutoCloseable {

    /** How often queued spans are sent: often enough that a trace appears within a second. */
    public static final long FLUSH_EVERY_MS = 250;
    /** At most this many messages per flush: a backlog drains over a few flushes, not in one long one. */
    private static final int MAX_MESSAGES_PER_FLUSH = 50;

    private final URLConnectionSender sender;
    private final QueueWatch metrics;
    private final AsyncZipkinSpanHandler handler;
    private final ScheduledExecutorService timer;

    private SpanReporter(String endpoint, MeterRegistry registry, BytesEncoder<MutableSpan> encoder) {
        this.sender = URLConnectionSender.newBuilder().endpoint(endpoint)
                .connectTimeout(1000).readTimeout(5000)
                .compressionEnabled(false)
                .build();
        this.metrics = new QueueWatch(MicrometerReporterMetrics.create(registry));
        this.handler = AsyncZipkinSpanHandler.newBuilder(sender)
                .metrics(metrics)
                .queuedMaxSpans(10_000)
                .messageTimeout(0, TimeUnit.MILLISECONDS) // no flush thread of its own: the timer below sends
                .build(encoder);
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "span-reporter");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::flush, FLUSH_EVERY_MS, FLUSH_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * @param endpoint where Zipkin v2 JSON spans are POSTed (a Zipkin server, a collector's zipkin receiver)
     * @param encoder  how a span is written; null for plain Zipkin v2 JSON
     */
    public static SpanReporter start(String endpoint, MeterRegistry registry, BytesEncoder<MutableSpan> encoder) {
        return new SpanReporter(endpoint, registry, encoder == null ? MutableSpanBytesEncoder.JSON_V2 : encoder);
    }

    /** What sends each message: for a framework that wants to know there is one (it is closed by {@link #close}). */
    public BytesMessageSender sender() {
        return sender;
    }

    /** The span handler to give Brave: it queues each finished, sampled span. */
    public AsyncZipkinSpanHandler handler() {
        return handler;
    }

    /** Sends what has queued: a message at a time, until the queue is empty. */
    void flush() {
        if (!metrics.reportedSinceLastLook() && metrics.queued == 0) {
            return; // nothing new: no empty message goes out
        }
        try {
            int messages = 0;
            do {
                handler.flush();
            } while (metrics.queued > 0 && ++messages < MAX_MESSAGES_PER_FLUSH);
        } catch (RuntimeException e) {
            // a dead collector: zipkin-reporter counted the spans it dropped; the next flush tries again
        }
    }

    /** Sends what is still queued, then stops: at shutdown, so that the last spans are not lost. */
    @Override
    public void close() {
        timer.shutdownNow();
        flush();
        handler.close();
        sender.close();
    }

    /** zipkin-reporter's metrics, passed on, and watched for what the timer needs: new spans, and the queue's length. */
    private static final class QueueWatch implements ReporterMetrics {
        private final ReporterMetrics delegate;
        private volatile boolean reported;
        volatile int queued;

        QueueWatch(ReporterMetrics delegate) {
            this.delegate = delegate;
        }

        boolean reportedSinceLastLook() {
            boolean was = reported;
            reported = false;
            return was;
        }

        @Override
        public void incrementMessages() {
            delegate.incrementMessages();
        }

        @Override
        public void incrementMessagesDropped(Throwable cause) {
            delegate.incrementMessagesDropped(cause);
        }

        @Override
        public void incrementSpans(int quantity) {
            reported = true;
            delegate.incrementSpans(quantity);
        }

        @Override
        public void incrementSpanBytes(int quantity) {
            delegate.incrementSpanBytes(quantity);
        }

        @Override
        public void incrementMessageBytes(int quantity) {
            delegate.incrementMessageBytes(quantity);
        }

        @Override
        public void incrementSpansDropped(int quantity) {
            delegate.incrementSpansDropped(quantity);
        }

        @Override
        public void updateQueuedSpans(int update) {
            queued = update;
            delegate.updateQueuedSpans(update);
        }

        @Override
        public void updateQueuedBytes(int update) {
            delegate.updateQueuedBytes(update);
        }
    }
}
