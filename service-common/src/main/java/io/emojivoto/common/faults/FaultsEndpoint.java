package io.emojivoto.common.faults;

import io.emojivoto.switches.Switches;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The service's switches on its actuator, on the management port (never the API's, so never through
 * the ingress), in the protocol every part serves ({@link Switches}): {@code GET /actuator/faults},
 * {@code POST /actuator/faults/{name}} with {@code {"value": "300ms"}} (and optionally {@code "blind": true},
 * {@code "emoji": ":ghost:"}), {@code DELETE /actuator/faults}; {@code GET /actuator/faults?reveal=true}
 * shows the values of switches set blind.
 */
@Endpoint(id = "faults")
public class FaultsEndpoint {

    private final Switches switches;

    public FaultsEndpoint(Switches switches) {
        this.switches = switches;
    }

    @ReadOperation
    public Map<String, Object> list(@Nullable Boolean reveal) {
        return switches.listing(Boolean.TRUE.equals(reveal));
    }

    @WriteOperation
    public WebEndpointResponse<Map<String, Object>> set(@Selector String name, String value, @Nullable Boolean blind,
            @Nullable String emoji) {
        try {
            switches.set(name, value, emoji, Boolean.TRUE.equals(blind));
        } catch (IllegalArgumentException e) {
            return new WebEndpointResponse<>(Switches.error(e.getMessage()), 400);
        }
        return new WebEndpointResponse<>(switches.listing(), 200);
    }

    @DeleteOperation
    public Map<String, Object> reset() {
        switches.resetAll();
        return switches.listing();
    }
}
