package io.voicecoach.tools.webhook;

import io.voicecoach.tools.ToolsConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Which endpoints webhook tools may call: HTTPS only ({@code http://} on loopback hosts when
 * {@code webhook.allow-loopback-http}), no user info, and, at call time, no host resolving to a private, link-local
 * or loopback address unless configured (so a tenant cannot make the service call into its own network).
 */
@ApplicationScoped
public class EndpointPolicy {

    private final ToolsConfig.Webhook config;
    private final HostResolver resolver;

    public EndpointPolicy(ToolsConfig config, HostResolver resolver) {
        this.config = config.webhook();
        this.resolver = resolver;
    }

    /** @return why the URL cannot be registered, or empty if it can */
    public Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            return Optional.of("'" + url + "' is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            return Optional.of("the URL needs a host");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("the URL must not carry user info");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("the URL must not have a fragment");
        }
        if ("https".equals(scheme)) {
            return Optional.empty();
        }
        if ("http".equals(scheme) && config.allowLoopbackHttp() && loopbackName(uri.getHost())) {
            return Optional.empty();
        }
        return Optional.of("the URL must be https://" + (config.allowLoopbackHttp()
                ? " (http:// only for localhost)" : ""));
    }

    /**
     * The address to call the endpoint at, resolved once here: it, not a second lookup, is what the HTTP client
     * connects to (a host that resolves to a public address for the check and to an internal one for the connection,
     * DNS rebinding, reaches nothing internal).
     *
     * @param address  where to connect (null when refused)
     * @param refusal  why the endpoint must not be called now (its URL, or an address its host resolves to), or null
     */
    public record Target(InetAddress address, String refusal) {
    }

    public Target target(URI uri) {
        var refused = refusal(uri.toString());
        if (refused.isPresent()) {
            return new Target(null, refused.get());
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(uri.getHost());
        } catch (UnknownHostException e) {
            return new Target(null, "the endpoint's host " + uri.getHost() + " does not resolve");
        }
        if (addresses.length == 0) {
            return new Target(null, "the endpoint's host " + uri.getHost() + " does not resolve");
        }
        if (!config.allowPrivateAddresses()) {
            for (var address : addresses) {
                if (address.isLoopbackAddress() && config.allowLoopbackHttp()) {
                    continue;
                }
                if (internal(address)) {
                    return new Target(null, "the endpoint's host resolves to a private address");
                }
            }
        }
        return new Target(addresses[0], null);
    }

    /**
     * Loopback, unspecified, link-local, private (10/8, 172.16/12, 192.168/16), multicast, unique-local IPv6 (fc00::/7),
     * carrier-grade NAT (100.64.0.0/10, where cloud providers also put internal services) and NAT64 (64:ff9b::/96,
     * which embeds any IPv4 address, internal ones included).
     */
    static boolean internal(InetAddress address) {
        byte[] bytes = address.getAddress();
        boolean uniqueLocalV6 = address instanceof Inet6Address && (bytes[0] & 0xfe) == 0xfc;
        boolean carrierGradeNat = address instanceof Inet4Address && (bytes[0] & 0xff) == 100
                && (bytes[1] & 0xc0) == 64;
        return address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress() || uniqueLocalV6 || carrierGradeNat
                || nat64(address);
    }

    private static boolean nat64(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return false;
        }
        byte[] bytes = address.getAddress();
        if (bytes[0] != 0 || bytes[1] != 0x64 || (bytes[2] & 0xff) != 0xff || (bytes[3] & 0xff) != 0x9b) {
            return false;
        }
        for (int i = 4; i < 12; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean loopbackName(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("[::1]") || h.equals("::1") || h.matches("127(\\.\\d{1,3}){3}");
    }
}
