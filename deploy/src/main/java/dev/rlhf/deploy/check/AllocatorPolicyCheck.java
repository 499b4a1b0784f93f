package dev.rlhf.deploy.check;

import dev.rlhf.deploy.manifest.Manifests;
import dev.rlhf.deploy.manifest.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every container of the suite's own images ({@code rlhf/...}) runs its JVM with the native memory policy: glibc
 * must not hand libtorch's large tensor blocks back to the kernel after each step, only to fault them in again on the
 * next ({@code GLIBC_TUNABLES} with {@code glibc.malloc.mmap_max=0}; README, "Native memory"). The images set it
 * too; the manifests say it again so that a rebuilt or replaced image keeps it.
 */
public final class AllocatorPolicyCheck implements Check {

    static final String VARIABLE = "GLIBC_TUNABLES";
    static final String REQUIRED = "glibc.malloc.mmap_max=0";

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        for (Workload workload : manifests.workloads()) {
            for (Container container : workload.allContainers()) {
                if (container.getImage() == null || !container.getImage().startsWith("rlhf/")) {
                    continue;
                }
                Optional<String> value = tunables(container);
                if (value.isEmpty()) {
                    problems.add(
                            problem(workload.at(container) + " sets no " + VARIABLE + " (needs " + REQUIRED + ")"));
                } else if (!List.of(value.get().split(":")).contains(REQUIRED)) {
                    problems.add(problem(
                            workload.at(container) + " " + VARIABLE + " '" + value.get() + "' lacks " + REQUIRED));
                }
            }
        }
        return problems;
    }

    private static Optional<String> tunables(Container container) {
        return container.getEnv() == null
                ? Optional.empty()
                : container.getEnv().stream()
                        .filter(e -> VARIABLE.equals(e.getName()))
                        .map(EnvVar::getValue)
                        .filter(v -> v != null)
                        .findFirst();
    }
}
