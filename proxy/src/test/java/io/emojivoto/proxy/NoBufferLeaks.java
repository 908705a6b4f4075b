package io.emojivoto.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test class whose traffic left a Netty buffer unreleased: every buffer is tracked
 * (paranoid leak detection) while the class runs, and after it the garbage collector is asked to
 * find the ones nobody released, which Netty then reports. A proxy that leaks a buffer on some
 * path runs out of memory under load; this is where that path shows first.
 */
final class NoBufferLeaks implements BeforeAllCallback, AfterAllCallback {

    private static final String DETECTOR = ResourceLeakDetector.class.getName();
    private final ListAppender<ILoggingEvent> reports = new ListAppender<>();
    private ResourceLeakDetector.Level before;

    @Override
    public void beforeAll(ExtensionContext context) {
        before = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        reports.start();
        ((Logger) LoggerFactory.getLogger(DETECTOR)).addAppender(reports);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            for (int round = 0; round < 3; round++) {
                System.gc();
                // Leaks are reported when the detector next tracks a buffer.
                for (int i = 0; i < 100; i++) {
                    ByteBufAllocator.DEFAULT.buffer(16).release();
                }
            }
            List<String> leaks = reports.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("LEAK")).toList();
            assertThat(leaks).as("Netty buffers never released").isEmpty();
        } finally {
            ((Logger) LoggerFactory.getLogger(DETECTOR)).detachAppender(reports);
            ResourceLeakDetector.setLevel(before);
        }
    }
}
