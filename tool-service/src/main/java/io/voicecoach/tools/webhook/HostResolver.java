package io.voicecoach.tools.webhook;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Looks up a webhook endpoint's host, once per call: the address checked is the address connected to. */
public interface HostResolver {

    InetAddress[] resolve(String host) throws UnknownHostException;

    /** The system's resolver. */
    @ApplicationScoped
    @DefaultBean
    class SystemResolver implements HostResolver {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            return InetAddress.getAllByName(host);
        }
    }
}
