package io.emojivoto.proxy;

import java.net.InetSocketAddress;
import java.util.Map;

/** Where a request goes: inbound always to the app; outbound by its authority. */
interface Router {

    /** @return the upstream address, or null when there is no route for this authority */
    InetSocketAddress route(String authority);

    static Router to(InetSocketAddress app) {
        return authority -> app;
    }

    /** The static table first; then, if allowed, the authority itself, resolved by DNS on connect. */
    static Router byAuthority(Map<String, InetSocketAddress> table, boolean dnsFallback) {
        return authority -> {
            if (authority == null || authority.isBlank()) {
                return null;
            }
            String key = authority.trim().toLowerCase();
            InetSocketAddress routed = table.get(key);
            if (routed != null || !dnsFallback) {
                return routed;
            }
            int colon = key.lastIndexOf(':');
            try {
                return colon > 0 && !key.endsWith("]")
                        ? InetSocketAddress.createUnresolved(key.substring(0, colon), Integer.parseInt(key.substring(colon + 1)))
                        : InetSocketAddress.createUnresolved(key, 80);
            } catch (NumberFormatException e) {
                return null;
            }
        };
    }
}
