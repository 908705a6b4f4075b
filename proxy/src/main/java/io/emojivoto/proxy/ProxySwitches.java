package io.emojivoto.proxy;

/**
 * The proxy's runtime switch {@code propagation}: {@code on} (it forwards its own span id, so the
 * next hop's span nests under its own) or {@code off} (it forwards the incoming span id unchanged
 * and still reports its span: broken propagation, which `./emojivoto check` reports). Served by the
 * admin listener's /faults, like every part's switches; read by {@link HopSpan} on every request.
 */
final class ProxySwitches {

    static final String ALLOWED = "on or off";

    private volatile boolean propagation = true;

    boolean propagation() {
        return propagation;
    }

    /** @throws IllegalArgumentException for anything but on or off; the switch then stays as it was */
    void setPropagation(String value) {
        switch (value == null ? "" : value.trim()) {
            case "on" -> propagation = true;
            case "off" -> propagation = false;
            default -> throw new IllegalArgumentException("propagation must be " + ALLOWED + ", got '" + value + "'");
        }
    }

    void reset() {
        propagation = true;
    }

    String propagationText() {
        return propagation ? "on" : "off";
    }
}
