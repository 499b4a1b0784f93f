package dev.rlhf.deploy.check;

import dev.rlhf.deploy.manifest.Manifests;
import dev.rlhf.deploy.manifest.PpoJobConfig;
import dev.rlhf.deploy.manifest.Resource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every endpoint that a config in a ConfigMap dials names a Service (or a Strimzi bootstrap Service,
 * {@code <cluster>-kafka-bootstrap}, with a listener on that port) and one of its ports, in the overlay's namespace:
 * a PPO job's {@code scoring.endpoint} and {@code kafka.bootstrap}, and the gateway's forwarding
 * {@code gateway.models.<name>.endpoint} in an {@code application.properties}. {@code embedded} is refused: in a
 * cluster the learner and the workers run in different pods.
 */
public final class EndpointCheck implements Check {

    private static final String BOOTSTRAP_SUFFIX = "-kafka-bootstrap";

    @Override
    public List<Problem> check(Manifests manifests) {
        Map<String, Set<Integer>> services = services(manifests);
        List<Problem> problems = new ArrayList<>();
        for (PpoJobConfig config : PpoJobConfig.in(manifests)) {
            String ns = config.configMap().namespace();
            String scoring = config.get("scoring.endpoint").orElse(PpoJobConfig.DEFAULTS.get("scoring.endpoint"));
            dial(services, ns, config.where() + " scoring.endpoint", scoring, problems);
            String bootstrap = config.get("kafka.bootstrap").orElse(PpoJobConfig.DEFAULTS.get("kafka.bootstrap"));
            for (String server : bootstrap.split(",")) {
                dial(services, ns, config.where() + " kafka.bootstrap", server.trim(), problems);
            }
        }
        manifests.configMaps().forEach((resource, map) -> gatewayForwards(services, resource, map, problems));
        return problems;
    }

    private void gatewayForwards(
            Map<String, Set<Integer>> services, Resource resource, ConfigMap map, List<Problem> problems) {
        String text = map.getData() == null ? null : map.getData().get("application.properties");
        if (text == null) {
            return;
        }
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException e) {
            problems.add(problem(resource.where() + " application.properties does not parse: " + e.getMessage()));
            return;
        }
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            if (key.startsWith("gateway.models.") && key.endsWith(".endpoint")) {
                dial(
                        services,
                        resource.namespace(),
                        resource.where() + " " + key,
                        properties.getProperty(key),
                        problems);
            }
        }
    }

    private void dial(
            Map<String, Set<Integer>> services, String namespace, String where, String endpoint, List<Problem> out) {
        if (endpoint.equals("embedded")) {
            out.add(problem(where + " is 'embedded': in a cluster it must name a Service (host:port)"));
            return;
        }
        int colon = endpoint.lastIndexOf(':');
        if (colon < 0) {
            out.add(problem(where + " '" + endpoint + "' has no port (host:port)"));
            return;
        }
        String host = endpoint.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(endpoint.substring(colon + 1));
        } catch (NumberFormatException e) {
            out.add(problem(where + " '" + endpoint + "': the port is not a number"));
            return;
        }
        String[] labels = host.split("\\.");
        String service = labels[0];
        if (labels.length > 1 && !labels[1].equals(namespace)) {
            out.add(problem(where + " '" + endpoint + "' points into namespace " + labels[1] + ", not the overlay's "
                    + (namespace.isEmpty() ? "(none)" : namespace)));
            return;
        }
        Set<Integer> ports = services.get(service);
        if (ports == null) {
            out.add(problem(where + " '" + endpoint + "': no Service " + service + " in the overlay (Services: "
                    + new TreeSet<>(services.keySet()) + ")"));
        } else if (!ports.contains(port)) {
            out.add(problem(where + " '" + endpoint + "': Service " + service + " has no port " + port + " (ports: "
                    + ports + ")"));
        }
    }

    /** Service name -> ports, including the bootstrap Service that Strimzi creates for each Kafka cluster. */
    private static Map<String, Set<Integer>> services(Manifests manifests) {
        Map<String, Set<Integer>> out = new LinkedHashMap<>();
        manifests
                .services()
                .forEach((resource, service) -> out.put(
                        resource.name(),
                        new TreeSet<>(service.getSpec().getPorts().stream()
                                .map(ServicePort::getPort)
                                .toList())));
        for (Resource kafka : manifests.ofKind("Kafka")) {
            Set<Integer> ports = new TreeSet<>();
            kafka.spec()
                    .path("kafka")
                    .path("listeners")
                    .forEach(l -> ports.add(l.path("port").asInt()));
            out.put(kafka.name() + BOOTSTRAP_SUFFIX, ports);
        }
        return out;
    }
}
