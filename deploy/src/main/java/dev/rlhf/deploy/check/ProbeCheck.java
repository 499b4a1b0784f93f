package dev.rlhf.deploy.check;

import dev.rlhf.deploy.manifest.Manifests;
import dev.rlhf.deploy.manifest.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.util.ArrayList;
import java.util.List;

/**
 * Every container has a liveness and a readiness probe, and every probe's HTTP or TCP port is one the container
 * declares (a named port that does not exist fails every probe, and the pod never becomes ready).
 */
public final class ProbeCheck implements Check {

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        for (Workload workload : manifests.workloads()) {
            for (Container container : workload.pod().getContainers()) {
                probe(workload, container, "livenessProbe", container.getLivenessProbe(), true, problems);
                probe(workload, container, "readinessProbe", container.getReadinessProbe(), true, problems);
                probe(workload, container, "startupProbe", container.getStartupProbe(), false, problems);
            }
        }
        return problems;
    }

    private void probe(
            Workload workload, Container container, String field, Probe probe, boolean required, List<Problem> out) {
        if (probe == null) {
            if (required) {
                out.add(problem(workload.at(container) + " has no " + field));
            }
            return;
        }
        IntOrString port = null;
        if (probe.getHttpGet() != null) {
            port = probe.getHttpGet().getPort();
        } else if (probe.getTcpSocket() != null) {
            port = probe.getTcpSocket().getPort();
        } else if (probe.getExec() == null && probe.getGrpc() == null) {
            out.add(problem(workload.at(container) + " " + field + " has no httpGet, tcpSocket, exec or grpc action"));
        }
        if (port != null && !Ports.declares(container, port)) {
            out.add(problem(workload.at(container) + " " + field + " probes port " + Ports.show(port)
                    + ", which the container does not declare " + Ports.declared(container)));
        }
    }
}
