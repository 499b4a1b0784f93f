package dev.rlhf.deploy.check;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;

/** How a probe or a Service names a container port: by number or by the port's name. */
final class Ports {

    private Ports() {}

    static boolean declares(Container container, IntOrString port) {
        return container.getPorts().stream().anyMatch(p -> matches(p, port));
    }

    static boolean matches(ContainerPort declared, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal().equals(declared.getContainerPort());
        }
        return port.getStrVal() != null && port.getStrVal().equals(declared.getName());
    }

    static String show(IntOrString port) {
        return port.getIntVal() != null ? String.valueOf(port.getIntVal()) : "'" + port.getStrVal() + "'";
    }

    /** {@code [http:8080, 9090]}: the ports a container declares, for messages. */
    static String declared(Container container) {
        List<String> ports = container.getPorts().stream()
                .map(p -> p.getName() == null
                        ? String.valueOf(p.getContainerPort())
                        : p.getName() + ":" + p.getContainerPort())
                .toList();
        return ports.toString();
    }
}
