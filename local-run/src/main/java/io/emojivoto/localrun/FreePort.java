package io.emojivoto.localrun;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A port that nothing listens on right now, on loopback, for a server a test is about to start.
 *
 * <p>Chosen below the kernel's ephemeral range (32768 and up by default): a port picked there by
 * binding port 0 can be handed out again, as the source port of some outgoing connection, before
 * the server binds it — which happened when the pipeline started eleven processes at once. Ports
 * handed out in this JVM are not handed out twice.
 */
public final class FreePort {

    private static final int LOW = 20_000;
    private static final int HIGH = 32_000;
    private static final Set<Integer> handedOut = ConcurrentHashMap.newKeySet();

    private FreePort() {
    }

    public static int next() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
            if (!handedOut.contains(port) && bindable(port) && handedOut.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + LOW + " and " + HIGH + " on 127.0.0.1");
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
