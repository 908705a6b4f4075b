package io.emojivoto.common.faults;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The service's switches on its actuator, on the management port (never the API's, so never through
 * the ingress): {@code GET /actuator/faults} lists them, {@code POST /actuator/faults/{name}} with
 * {@code {"value": "300ms"}} sets one, {@code DELETE /actuator/faults} puts all back to their start
 * values. The proxy's admin listener and the ingress's status listener answer the same way, so that
 * `./emojivoto fault` speaks to every part alike.
 */
@Endpoint(id = "faults")
public class FaultsEndpoint {

    private final String part;
    private final FaultSwitches switches;

    public FaultsEndpoint(String part, FaultSwitches switches) {
        this.part = part;
        this.switches = switches;
    }

    @ReadOperation
    public Map<String, Object> list() {
        List<Map<String, String>> all = new ArrayList<>();
        for (Switch<?> s : switches.all()) {
            Map<String, String> one = new LinkedHashMap<>();
            one.put("name", s.name());
            one.put("value", s.text());
            one.put("start", s.startText());
            one.put("allowed", s.allowed());
            all.add(one);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("part", part);
        body.put("switches", all);
        return body;
    }

    @WriteOperation
    public WebEndpointResponse<Map<String, Object>> set(@Selector String name, String value) {
        Switch<?> target = switches.named(name).orElse(null);
        if (target == null) {
            return error(part + " has no switch '" + name + "'; it has " + switches.all().stream().map(Switch::name).toList());
        }
        try {
            target.set(value);
        } catch (IllegalArgumentException e) {
            return error(e.getMessage());
        }
        return new WebEndpointResponse<>(list(), 200);
    }

    @DeleteOperation
    public Map<String, Object> reset() {
        switches.resetAll();
        return list();
    }

    private static WebEndpointResponse<Map<String, Object>> error(String message) {
        return new WebEndpointResponse<>(Map.of("error", message), 400);
    }
}
