package io.voicecoach.gateway.session;

import io.smallrye.mutiny.Uni;

/** The channel of a session taken over from another instance until its resuming client attaches. */
public enum ClosedChannel implements ClientChannel {
    INSTANCE;

    @Override
    public Uni<Void> send(String frame) {
        return Uni.createFrom().failure(new IllegalStateException("no client is attached"));
    }

    @Override
    public boolean isOpen() {
        return false;
    }

    @Override
    public void closeWith(int code, String reason) {
        // nothing is connected
    }
}
