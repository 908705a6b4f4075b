package io.emojivoto.web;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * web-svc's configuration; see application.properties for the environment variable of each.
 *
 * @param emojiSvcHost    logical host:port of emoji-svc, also the gRPC authority
 * @param votingSvcHost   logical host:port of voting-svc, also the gRPC authority
 * @param outboundProxy   host:port of the sidecar's outbound listener, or empty to connect directly
 * @param grpcDeadline    deadline of every gRPC call
 * @param traceUiUrl      link to a trace in the trace UI, with {traceId} in it
 * @param messageOfTheDay text shown above the vote grid
 */
@ConfigurationProperties("web")
public record WebProperties(String emojiSvcHost, String votingSvcHost, String outboundProxy, Duration grpcDeadline,
                            String traceUiUrl, String messageOfTheDay) {

    public WebProperties {
        requireHostPort("EMOJISVC_HOST", emojiSvcHost);
        requireHostPort("VOTINGSVC_HOST", votingSvcHost);
        if (outboundProxy != null && !outboundProxy.isBlank()) {
            requireHostPort("OUTBOUND_PROXY", outboundProxy);
        }
        if (grpcDeadline == null || grpcDeadline.isNegative() || grpcDeadline.isZero()) {
            throw new IllegalArgumentException("GRPC_DEADLINE must be a positive duration such as 3s, got " + grpcDeadline);
        }
        if (traceUiUrl == null || !traceUiUrl.contains("{traceId}")) {
            throw new IllegalArgumentException("TRACE_UI_URL must contain {traceId}, got " + traceUiUrl);
        }
        messageOfTheDay = messageOfTheDay == null ? "" : messageOfTheDay;
    }

    private static void requireHostPort(String name, String value) {
        if (value == null || !value.matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}")) {
            throw new IllegalArgumentException(name + " must be host:port, got '" + value + "'");
        }
    }

    public boolean viaProxy() {
        return outboundProxy != null && !outboundProxy.isBlank();
    }
}
