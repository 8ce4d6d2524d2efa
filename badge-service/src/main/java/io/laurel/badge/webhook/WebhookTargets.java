package io.laurel.badge.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where webhooks may be delivered. By default only to public addresses: loopback, link-local (cloud metadata
 * endpoints such as 169.254.169.254), private (10/8, 172.16/12, 192.168/16, fc00::/7), carrier-grade NAT
 * (100.64/10), multicast, broadcast and unspecified addresses are refused, so a tenant cannot make the platform
 * call into its own network. An on-premise receiver is let through by {@code laurel.webhooks.allowed-targets}:
 * host names, addresses or CIDR ranges. The check is made when a webhook is created and again before each
 * delivery, on every address the host resolves to (a name that later resolves elsewhere, DNS rebinding, is
 * caught at delivery; the JVM's address cache then serves the connection the same addresses that were checked).
 */
public final class WebhookTargets {
    private final List<String> hosts = new ArrayList<>();
    private final List<byte[][]> ranges = new ArrayList<>();

    /** @param allowed host names, addresses or CIDR ranges let through although they are not public */
    public WebhookTargets(List<String> allowed) {
        for (String a : allowed == null ? List.<String>of() : allowed) {
            String v = a.trim().toLowerCase(Locale.ROOT);
            if (v.isEmpty()) {
                continue;
            }
            if (v.contains("/")) {
                ranges.add(cidr(v));
            } else if (looksLikeAddress(v)) {
                ranges.add(cidr(v + (v.contains(":") ? "/128" : "/32")));
            } else {
                hosts.add(v);
            }
        }
    }

    /**
     * Why {@code url} may not be called, or null when it may. Resolves its host; a host that does not resolve
     * (perhaps only for now) is reported by {@link #unresolved}.
     */
    public String refusal(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return "not a valid URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "only http and https are delivered";
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return "the URL has no host";
        }
        if (uri.getUserInfo() != null) {
            return "credentials in the URL are not accepted";
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (hosts.contains(bare.toLowerCase(Locale.ROOT))) {
            return null;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            return UNRESOLVED + bare;
        }
        for (InetAddress a : addresses) {
            String why = forbidden(a);
            if (why != null && !allowedByRange(a)) {
                // a literal address is named; what a host name resolves to inside the network is not told
                boolean literal = bare.equalsIgnoreCase(a.getHostAddress()) || looksLikeAddress(bare);
                return (literal ? "the address " + bare + " is " : "its host " + bare + " resolves to ") + why
                        + " (allow it with laurel.webhooks.allowed-targets)";
            }
        }
        return null;
    }

    private static final String UNRESOLVED = "its host does not resolve: ";

    /** Whether a refusal says only that the host did not resolve (a delivery retries that later). */
    public static boolean unresolved(String refusal) {
        return refusal != null && refusal.startsWith(UNRESOLVED);
    }

    /** Why an address is not a public one, or null. */
    static String forbidden(InetAddress a) {
        if (a.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (a.isLinkLocalAddress()) {
            return "a link-local address";
        }
        if (a.isSiteLocalAddress()) {
            return "a private address";
        }
        if (a.isMulticastAddress()) {
            return "a multicast address";
        }
        if (a.isAnyLocalAddress()) {
            return "an unspecified address";
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 100 && second >= 64 && second < 128) {
                return "a carrier-grade NAT address";
            }
            if (first == 0 || first >= 240) {
                return "a reserved address";
            }
        }
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return "a private address";
            }
            // IPv4 inside IPv6: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::/96), 6to4 (2002::/16)
            boolean zeros = true;
            for (int i = 0; i < 10; i++) {
                zeros &= b[i] == 0;
            }
            boolean mapped = zeros && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            boolean compatible = zeros && b[10] == 0 && b[11] == 0;
            boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
                    && (b[3] & 0xff) == 0x9b;
            for (int i = 4; i < 12 && nat64; i++) {
                nat64 = b[i] == 0;
            }
            byte[] v4 = mapped || compatible || nat64 ? java.util.Arrays.copyOfRange(b, 12, 16)
                    : (b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02 ? java.util.Arrays.copyOfRange(b, 2, 6) : null;
            if (v4 != null) {
                try {
                    String inner = forbidden(InetAddress.getByAddress(v4));
                    return inner == null ? null : inner + " (inside an IPv6 address)";
                } catch (UnknownHostException e) {
                    return "an unreadable address";
                }
            }
        }
        return null;
    }

    private boolean allowedByRange(InetAddress a) {
        byte[] b = a.getAddress();
        for (byte[][] range : ranges) {
            byte[] net = range[0];
            byte[] mask = range[1];
            if (net.length != b.length) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < b.length && match; i++) {
                match = (b[i] & mask[i]) == (net[i] & mask[i]);
            }
            if (match) {
                return true;
            }
        }
        return false;
    }

    private static boolean looksLikeAddress(String v) {
        return v.matches("[0-9.]+") || v.contains(":");
    }

    private static byte[][] cidr(String v) {
        String[] parts = v.split("/", 2);
        byte[] net;
        try {
            if (!looksLikeAddress(parts[0])) {
                throw new IllegalArgumentException();
            }
            net = InetAddress.getByName(parts[0]).getAddress();
        } catch (UnknownHostException | IllegalArgumentException e) {
            throw new IllegalArgumentException("laurel.webhooks.allowed-targets: '" + v + "' is not an address or CIDR range");
        }
        int bits;
        try {
            bits = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("laurel.webhooks.allowed-targets: '" + v + "' has no prefix length");
        }
        if (bits < 0 || bits > net.length * 8) {
            throw new IllegalArgumentException("laurel.webhooks.allowed-targets: '" + v + "' has a prefix length out of range");
        }
        byte[] mask = new byte[net.length];
        for (int i = 0; i < bits; i++) {
            mask[i / 8] |= (byte) (0x80 >>> (i % 8));
        }
        return new byte[][]{net, mask};
    }
}
