package io.emojivoto.proxy;

/** What every exchange needs: settings, routing, upstream connections, spans, switches and metrics. */
record ProxyContext(ProxyConfig config, Router inboundRouter, Router outboundRouter, Upstreams upstreams,
                    ProxySpans spans, ProxySwitches switches, ProxyMetrics metrics,
                    java.util.concurrent.atomic.AtomicBoolean draining) {

    Router router(Direction direction) {
        return direction == Direction.INBOUND ? inboundRouter : outboundRouter;
    }
}
