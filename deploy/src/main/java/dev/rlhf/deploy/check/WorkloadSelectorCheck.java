package dev.rlhf.deploy.check;

import dev.rlhf.deploy.manifest.Manifests;
import dev.rlhf.deploy.manifest.Resource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A Deployment's selector matches its own pod template's labels, or the API server refuses it. */
public final class WorkloadSelectorCheck implements Check {

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        for (Map.Entry<Resource, Deployment> entry :
                manifests.typed(Deployment.class).entrySet()) {
            Deployment deployment = entry.getValue();
            LabelSelector selector =
                    deployment.getSpec() == null ? null : deployment.getSpec().getSelector();
            Map<String, String> match = selector == null ? null : selector.getMatchLabels();
            if (match == null || match.isEmpty()) {
                problems.add(problem(entry.getKey().where() + " has no spec.selector.matchLabels"));
                continue;
            }
            Map<String, String> labels = deployment.getSpec().getTemplate() == null
                            || deployment.getSpec().getTemplate().getMetadata() == null
                    ? Map.of()
                    : deployment.getSpec().getTemplate().getMetadata().getLabels();
            if (labels == null || !labels.entrySet().containsAll(match.entrySet())) {
                problems.add(problem(entry.getKey().where() + " selector " + match
                        + " does not match its pod template's labels " + labels));
            }
        }
        return problems;
    }
}
