package io.emojivoto.launcher;

import io.emojivoto.testkit.FreePort;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Every port of the local pipeline. {@link #local()} reads the one definition,
 * {@code api/src/main/resources/emojivoto/ports.properties}; tests use {@link #free()}.
 */
public record PortPlan(int ingress, int ingressStatus, int zipkin,
                       int webSvc, int webSvcApp, int webSvcOutbound, int webSvcAdmin,
                       int emojiSvc, int emojiSvcApp, int emojiSvcHttp, int emojiSvcAdmin,
                       int votingSvc, int votingSvcApp, int votingSvcHttp, int votingSvcAdmin) {

    public static PortPlan local() {
        Properties p = new Properties();
        try (InputStream in = PortPlan.class.getResourceAsStream("/emojivoto/ports.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        java.util.function.ToIntFunction<String> port = key -> Integer.parseInt(p.getProperty("emojivoto.ports." + key).trim());
        return new PortPlan(port.applyAsInt("ingress"), port.applyAsInt("ingress-status"), port.applyAsInt("zipkin"),
                port.applyAsInt("web-svc"), port.applyAsInt("web-svc.app"), port.applyAsInt("web-svc.proxy-outbound"),
                port.applyAsInt("web-svc.proxy-admin"),
                port.applyAsInt("emoji-svc"), port.applyAsInt("emoji-svc.app"), port.applyAsInt("emoji-svc.http"),
                port.applyAsInt("emoji-svc.proxy-admin"),
                port.applyAsInt("voting-svc"), port.applyAsInt("voting-svc.app"), port.applyAsInt("voting-svc.http"),
                port.applyAsInt("voting-svc.proxy-admin"));
    }

    public static PortPlan free() {
        return new PortPlan(FreePort.next(), FreePort.next(), FreePort.next(), FreePort.next(), FreePort.next(),
                FreePort.next(), FreePort.next(), FreePort.next(), FreePort.next(), FreePort.next(), FreePort.next(),
                FreePort.next(), FreePort.next(), FreePort.next(), FreePort.next());
    }

    /** Every port by a readable name, for the table printed at start and for the taken-port check. */
    public Map<String, Integer> byName() {
        Map<String, Integer> all = new LinkedHashMap<>();
        all.put("ingress", ingress);
        all.put("ingress status", ingressStatus);
        all.put("zipkin", zipkin);
        all.put("web-svc-proxy inbound", webSvc);
        all.put("web-svc", webSvcApp);
        all.put("web-svc-proxy outbound", webSvcOutbound);
        all.put("web-svc-proxy admin", webSvcAdmin);
        all.put("emoji-svc-proxy inbound", emojiSvc);
        all.put("emoji-svc gRPC", emojiSvcApp);
        all.put("emoji-svc actuator", emojiSvcHttp);
        all.put("emoji-svc-proxy admin", emojiSvcAdmin);
        all.put("voting-svc-proxy inbound", votingSvc);
        all.put("voting-svc gRPC", votingSvcApp);
        all.put("voting-svc actuator", votingSvcHttp);
        all.put("voting-svc-proxy admin", votingSvcAdmin);
        return all;
    }
}
