package io.fastrtc.ice;

import java.util.List;
import java.util.Objects;

/**
 * How the server side of each peer connection gathers candidates.
 *
 * <p>The default has no ICE servers at all: host candidates only, and no traffic to any third
 * party. FastRTC instead defaults to Google's public STUN server; we don't, so that a server never
 * contacts an outside host unless configured to (set {@link #iceServers} for deployments behind NAT).
 * Unlike FastRTC, {@code iceTransportPolicy} is honoured.
 *
 * @param iceServers STUN/TURN servers the server's peer connections use
 * @param transportPolicy {@link TransportPolicy#RELAY} forces traffic through TURN
 * @param minPort lowest UDP/TCP port for media, or 0 for any
 * @param maxPort highest port for media, or 0 for any
 */
public record IceConfig(List<IceServer> iceServers, TransportPolicy transportPolicy, int minPort, int maxPort) {

    /** Which candidates may be used. */
    public enum TransportPolicy { ALL, RELAY }

    public static final IceConfig DEFAULT = new IceConfig(List.of(), TransportPolicy.ALL, 0, 0);

    public IceConfig {
        iceServers = List.copyOf(Objects.requireNonNull(iceServers, "iceServers"));
        Objects.requireNonNull(transportPolicy, "transportPolicy");
        boolean anyPort = minPort == 0 && maxPort == 0;
        if (!anyPort && (minPort < 1 || maxPort > 65535 || minPort > maxPort)) {
            throw new IllegalArgumentException("port range " + minPort + "-" + maxPort
                    + " is invalid: use 1 <= min <= max <= 65535, or 0-0 for any port");
        }
    }

    public IceConfig withIceServers(List<IceServer> servers) {
        return new IceConfig(servers, transportPolicy, minPort, maxPort);
    }

    public IceConfig withTransportPolicy(TransportPolicy policy) {
        return new IceConfig(iceServers, policy, minPort, maxPort);
    }

    /** Restricts media to ports {@code min..max}, e.g. to match a firewall rule. */
    public IceConfig withPortRange(int min, int max) {
        return new IceConfig(iceServers, transportPolicy, min, max);
    }
}
