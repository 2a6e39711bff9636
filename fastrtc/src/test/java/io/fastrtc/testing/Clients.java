package io.fastrtc.testing;

import io.fastrtc.engine.RtcEngine;

/**
 * The engine client peers use: one per test JVM, separate from the servers' shared engine so the
 * two sides never share a signaling thread. Closed when the JVM exits.
 */
public final class Clients {

    private static RtcEngine engine;

    private Clients() {
    }

    public static synchronized RtcEngine engine() {
        if (engine == null) {
            RtcEngine created = RtcEngine.create();
            Runtime.getRuntime().addShutdownHook(new Thread(created::close, "test-clients-shutdown"));
            engine = created;
        }
        return engine;
    }
}
