package io.voicecoach.tools.webhook;

import io.voicecoach.tools.ToolsConfig;
import jakarta.enterprise.context.ApplicationScoped;

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

    public EndpointPolicy(ToolsConfig config) {
        this.config = config.webhook();
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

    /** @return why the endpoint must not be called now (its host resolves somewhere forbidden), or empty */
    public Optional<String> refusalAtCallTime(URI uri) {
        var refused = refusal(uri.toString());
        if (refused.isPresent()) {
            return refused;
        }
        if (config.allowPrivateAddresses()) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            return Optional.of("the endpoint's host " + uri.getHost() + " does not resolve");
        }
        for (var address : addresses) {
            if (address.isLoopbackAddress() && config.allowLoopbackHttp()) {
                continue;
            }
            if (internal(address)) {
                return Optional.of("the endpoint's host resolves to a private address");
            }
        }
        return Optional.empty();
    }

    private static boolean internal(InetAddress address) {
        boolean uniqueLocalV6 = address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
        return address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress() || uniqueLocalV6;
    }

    private static boolean loopbackName(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("[::1]") || h.equals("::1") || h.matches("127(\\.\\d{1,3}){3}");
    }
}
