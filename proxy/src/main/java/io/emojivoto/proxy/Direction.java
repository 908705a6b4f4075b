package io.emojivoto.proxy;

/** Which side of the app a request crosses: into it (a SERVER span) or out of it (a CLIENT span). */
public enum Direction {
    INBOUND, OUTBOUND;

    String label() {
        return name().toLowerCase();
    }
}
