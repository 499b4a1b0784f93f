package dev.rlhf.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every way the suite starts a JVM that computes with libtorch runs it under the same glibc policy (README, "Native
 * memory"): the test JVMs (surefire's environment), {@code ./rlhf}, {@code mvnw} (so {@code quarkus:dev}) and each
 * service image. The Kubernetes manifests are checked by deploy's {@code AllocatorPolicyCheck}.
 */
class NativeMemoryPolicyTest {

    static final String POLICY =
            "glibc.malloc.mmap_max=0:glibc.malloc.arena_max=1:glibc.malloc.trim_threshold=17179869184";
    private static final Path ROOT = Path.of("..");

    @Test
    void theTestJvmRunsUnderThePolicy() {
        assertTrue(POLICY.equals(System.getenv("GLIBC_TUNABLES")), "GLIBC_TUNABLES=" + System.getenv("GLIBC_TUNABLES"));
    }

    @Test
    void theLaunchersExportThePolicy() throws IOException {
        for (String launcher : List.of("rlhf", "mvnw")) {
            String text = Files.readString(ROOT.resolve(launcher));
            assertTrue(text.contains("GLIBC_TUNABLES=\"${GLIBC_TUNABLES:-" + POLICY + "}\""), launcher);
            assertTrue(text.contains("export GLIBC_TUNABLES"), launcher);
        }
    }

    @Test
    void everyServiceImageSetsThePolicy() throws IOException {
        List<Path> dockerfiles;
        try (Stream<Path> files = Files.list(ROOT)) {
            dockerfiles = files.map(module -> module.resolve("src/main/docker/Dockerfile.jvm"))
                    .filter(Files::isRegularFile)
                    .toList();
        }
        assertTrue(dockerfiles.size() >= 4, "service images: " + dockerfiles);
        for (Path dockerfile : dockerfiles) {
            assertTrue(Files.readString(dockerfile).contains("GLIBC_TUNABLES=" + POLICY), dockerfile.toString());
        }
    }
}
