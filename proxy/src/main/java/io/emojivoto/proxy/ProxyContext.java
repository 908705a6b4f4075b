package io.emojivoto.proxy;

/**
 * What every exchange needs: settings, routing, upstream connections, spans, metrics, and the switch
 * {@code propagation}: on, the proxy forwards its own span id so that the next hop's span nests under
 * its own; off, it forwards the incoming one unchanged and still reports its span (broken propagation,
 * which {@code ./emojivoto check} reports). {@link HopSpan} reads it on every request.
 */
record ProxyContext(ProxyConfig config, Router inboundRouter, Router outboundRouter, Upstreams upstreams,
                    ProxySpans spans, io.emojivoto.switches.Switch<Boolean> propagation, ProxyMetrics metrics,
                    java.util.concurrent.atomic.AtomicBoolean draining) {

    Router router(Direction direction) {
        return direction == Direction.INBOUND ? inboundRouter : outboundRouter;
    }
}
