package dev.rlhf.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DJL's PyTorch engine loads its native library from the {@code pytorch-native-cpu} jar on the classpath: a fresh JVM
 * with an empty DJL cache and every HTTP(S) connection pointed at a closed port still loads it and computes.
 */
class OfflineEngineTest {

    @Test
    void loadsNativesFromTheClasspathIntoAnEmptyCacheWithoutNetwork(@TempDir Path cache) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(List.of(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dai.djl.offline=true",
                "-Dhttp.proxyHost=127.0.0.1",
                "-Dhttp.proxyPort=9",
                "-Dhttps.proxyHost=127.0.0.1",
                "-Dhttps.proxyPort=9",
                EngineProbe.class.getName()));
        pb.environment().put("DJL_CACHE_DIR", cache.toString());
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.redirectErrorStream(true);
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "probe timed out: " + output);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("engine=PyTorch"), output);
        assertTrue(output.contains("result=19.0,22.0,43.0,50.0"), output);
        assertTrue(hasNativeLibrary(cache), "libtorch was extracted into the fresh cache " + cache);
    }

    private static boolean hasNativeLibrary(Path cache) throws IOException {
        try (Stream<Path> files = Files.walk(cache)) {
            return files.anyMatch(p -> p.getFileName().toString().startsWith("libtorch"));
        }
    }
}
