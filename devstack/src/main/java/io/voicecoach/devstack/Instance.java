package io.voicecoach.devstack;

/**
 * One process of a service, like one pod of a Kubernetes Deployment.
 *
 * @param number 1-based
 * @param name   the module name when the suite runs one instance per service ({@code gateway-service}), else the module
 *               name and the number ({@code gateway-service-2}): log file, instance id, {@code HOSTNAME} and the prefix
 *               of every Kafka client id of the process
 * @param port   its own HTTP port (with replicas, the service's public port is the balancer's)
 */
public record Instance(Service service, int number, String name, int port) {

    static Instance of(Service service, int number, int replicas, int port) {
        String name = replicas == 1 ? service.module() : service.module() + "-" + number;
        return new Instance(service, number, name, port);
    }

    /** True if a Kafka client id belongs to this instance (they all start with its name and a dash). */
    public boolean ownsClientId(String clientId) {
        return clientId != null && clientId.startsWith(name + "-");
    }

    @Override
    public String toString() {
        return name + " (port " + port + ")";
    }
}
