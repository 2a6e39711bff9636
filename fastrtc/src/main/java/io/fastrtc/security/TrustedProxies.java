package io.fastrtc.security;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The reverse proxies whose {@code X-Forwarded-For}, {@code X-Forwarded-Proto} and
 * {@code X-Forwarded-Host} headers are believed. By default none: the client is the immediate peer, since anyone can send those headers.
 * Behind a proxy, every client would otherwise look like the proxy (one rate limit for everyone).
 *
 * @param networks trusted addresses and networks, e.g. {@code "127.0.0.1"}, {@code "10.0.0.0/8"}, {@code "::1"}
 */
public record TrustedProxies(List<String> networks) {

    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[0-9A-Za-z]+)?");

    public TrustedProxies {
        networks = List.copyOf(networks);
        for (String n : networks) {
            Network.parse(n);
        }
    }

    public static TrustedProxies of(String... networks) {
        return new TrustedProxies(List.of(networks));
    }

    /**
     * The client's address: the immediate peer, or, when that is a trusted proxy, the nearest
     * address in {@code X-Forwarded-For} that is not a trusted proxy itself. Null if unknown.
     */
    public String clientAddress(Request request) {
        String peer = request.remoteAddress();
        if (peer == null || !trusts(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : request.headers("x-forwarded-for")) {
            for (String hop : header.split(",")) {
                hops.add(hop.trim());
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (bytes(hop) == null) {
                return peer; // a garbled header: fall back to what we know
            }
            if (!trusts(hop)) {
                return hop;
            }
        }
        return hops.isEmpty() ? peer : hops.get(0);
    }

    /** Whether the request's immediate peer is a trusted proxy, whose {@code X-Forwarded-*} headers are believed. */
    public boolean forwards(Request request) {
        String peer = request.remoteAddress();
        return peer != null && trusts(peer);
    }

    /** Whether a trusted proxy says the client reached it over HTTPS ({@code X-Forwarded-Proto}). */
    public boolean isHttps(Request request) {
        String proto = forwards(request) ? request.header("x-forwarded-proto") : null;
        return proto != null && proto.trim().toLowerCase(java.util.Locale.ROOT).startsWith("https");
    }

    boolean trusts(String address) {
        byte[] a = bytes(address);
        if (a == null) {
            return false;
        }
        for (String n : networks) {
            if (Network.parse(n).contains(a)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The key clients are counted by in rate limits: the address, or an IPv6 address's /64 network
     * (one subscriber usually has a whole /64, and could otherwise rotate through it).
     */
    public static String rateKey(String address) {
        byte[] a = bytes(address);
        if (a == null || a.length == 4) {
            return address;
        }
        return new BigInteger(1, java.util.Arrays.copyOf(a, 8)).toString(16) + "::/64";
    }

    /** The bytes of an IP literal (never a DNS lookup), or null if it is not one. */
    static byte[] bytes(String address) {
        if (address == null) {
            return null;
        }
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1)
                : address;
        boolean v4 = IPV4.matcher(a).matches();
        if (!v4 && !(a.contains(":") && IPV6.matcher(a).matches())) {
            return null;
        }
        try {
            byte[] b = InetAddress.getByName(a).getAddress();
            return b.length == 16 && isMappedV4(b) ? java.util.Arrays.copyOfRange(b, 12, 16) : b;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isMappedV4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private record Network(byte[] base, int prefix) {
        static Network parse(String text) {
            int slash = text.indexOf('/');
            byte[] base = bytes(slash < 0 ? text : text.substring(0, slash));
            if (base == null) {
                throw new IllegalArgumentException("trusted proxy \"" + text + "\" is not an IP address or network;"
                        + " write e.g. 10.0.0.1, 10.0.0.0/8 or fd00::/8 (no host names)");
            }
            int prefix = base.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > base.length * 8) {
                    throw new IllegalArgumentException("trusted proxy network \"" + text + "\" has a bad prefix length;"
                            + " use 0 to " + base.length * 8);
                }
            }
            return new Network(base, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != base.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != base[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (base[full] & mask);
        }
    }
}
