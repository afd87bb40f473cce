package io.voicecoach.tools;

import io.voicecoach.tools.webhook.HostResolver;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tests' DNS: a scripted host answers its addresses in turn, one per lookup, the last repeated (a rebinding
 * resolver when they differ); other hosts go to the system's resolver. Counts lookups per host.
 */
@ApplicationScoped
public class ScriptedHostResolver implements HostResolver {

    private final Map<String, List<String>> scripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

    void script(String host, String... addresses) {
        scripts.put(host, List.of(addresses));
        lookups.remove(host);
    }

    void forget(String host) {
        scripts.remove(host);
        lookups.remove(host);
    }

    int lookups(String host) {
        var count = lookups.get(host);
        return count == null ? 0 : count.get();
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        int lookup = lookups.computeIfAbsent(host, h -> new AtomicInteger()).getAndIncrement();
        var script = scripts.get(host);
        if (script == null) {
            return InetAddress.getAllByName(host);
        }
        return new InetAddress[]{InetAddress.getByName(script.get(Math.min(lookup, script.size() - 1)))};
    }
}
