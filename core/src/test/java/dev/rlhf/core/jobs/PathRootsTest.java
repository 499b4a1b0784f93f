package dev.rlhf.core.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.config.ConfigPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathRootsTest {

    @TempDir
    Path tmp;

    private Path root;
    private Path outside;
    private PathRoots roots;

    @BeforeEach
    void layout() throws IOException {
        root = Files.createDirectories(tmp.resolve("root"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(root.resolve("data.jsonl"), "{}\n");
        Files.writeString(outside.resolve("secret.txt"), "s3cret\n");
        roots = PathRoots.of(List.of(root, tmp.resolve("other/data")));
    }

    private Optional<String> problem(String key, Path path) {
        return roots.problem(new ConfigPath(key, path));
    }

    @Test
    void pathsInsideARootPassWhetherOrNotTheyExist() {
        assertEquals(Optional.empty(), problem("data.datasets[0].path", root.resolve("data.jsonl")));
        assertEquals(Optional.empty(), problem("output_dir", root.resolve("runs/new/dir")));
        assertEquals(Optional.empty(), problem("output_dir", root));
        assertEquals(Optional.empty(), problem("model.path", root.resolve("a/../data.jsonl")));
        assertEquals(Optional.empty(), problem("prompts.path", tmp.resolve("other/data/p.jsonl")), "missing root");
    }

    @Test
    void aDotDotEscapeIsRefusedNamingTheKey() {
        String message = problem("model.tokenizer", root.resolve("../outside/secret.txt"))
                .orElseThrow();
        assertEquals(
                "model.tokenizer: " + root.resolve("../outside/secret.txt") + " is outside the allowed roots", message);
    }

    @Test
    void anAbsolutePathOutsideIsRefused() {
        assertEquals(
                Optional.of("policy.path: /etc/passwd is outside the allowed roots"),
                problem("policy.path", Path.of("/etc/passwd")));
    }

    @Test
    void aSiblingSharingTheRootsNamePrefixIsOutside() throws IOException {
        Path sibling = Files.createDirectories(tmp.resolve("root-other"));
        assertTrue(problem("output_dir", sibling).isPresent());
    }

    @Test
    void relativePathsResolveAgainstTheWorkingDirectory() {
        PathRoots workingDir = PathRoots.of(List.of(Path.of("")));
        assertEquals(Optional.empty(), workingDir.problem(new ConfigPath("output_dir", Path.of("runs"))));
        String message = workingDir
                .problem(new ConfigPath("output_dir", Path.of("../elsewhere")))
                .orElseThrow();
        assertEquals("output_dir: ../elsewhere is outside the allowed roots", message, "no server path");
    }

    @Test
    void messagesSayPathsInsideARootRelativeToIt() throws IOException {
        Path real = root.toRealPath();
        String message = "data.datasets[0].path: " + root.resolve("data/x.jsonl") + ":3: not JSON; see " + real
                + "/runs/a/config.yaml, not /elsewhere" + root + "/y or " + tmp.resolve("root-other/z");
        assertEquals(
                "data.datasets[0].path: data/x.jsonl:3: not JSON; see runs/a/config.yaml, not /elsewhere" + root
                        + "/y or " + tmp.resolve("root-other/z"),
                roots.relativize(message));
        PathRoots nested = PathRoots.of(List.of(tmp, root));
        assertEquals("data.jsonl", nested.relativize(root.resolve("data.jsonl").toString()), "the nearest root");
    }

    @Test
    void aSymbolicLinkLeadingOutOfARootIsRefused() throws IOException {
        Path link = Files.createSymbolicLink(root.resolve("link"), outside);
        String existing =
                problem("data.datasets[0].path", link.resolve("secret.txt")).orElseThrow();
        assertTrue(existing.startsWith("data.datasets[0].path: "), existing);
        assertTrue(existing.contains("symbolic link to a place outside the allowed roots"), existing);
        assertTrue(!existing.contains(outside.toString()), "where the link leads is not shown: " + existing);
        assertTrue(problem("output_dir", link.resolve("new/run")).isPresent(), "below the link, not yet made");
        assertTrue(problem("output_dir", link).isPresent(), "the link itself");
    }

    @Test
    void aDotDotAfterALinkFollowsTheLinkAsTheSystemDoes() throws IOException {
        Path deep = Files.createDirectories(outside.resolve("deep"));
        Path link = Files.createSymbolicLink(root.resolve("up"), deep);
        // Lexically root/up/../secret.txt is root/secret.txt; the system resolves it to outside/secret.txt.
        assertTrue(problem("model.init", link.resolve("../secret.txt")).isPresent());
    }

    @Test
    void aLinkThatStaysInsideAndABrokenLinkAreToldApart() throws IOException {
        Path inner = Files.createSymbolicLink(root.resolve("inner"), root.resolve("data.jsonl"));
        assertEquals(Optional.empty(), problem("data.datasets[0].path", inner));
        Path dangling = Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("none"));
        String message = problem("output_dir", dangling.resolve("run")).orElseThrow();
        assertTrue(message.contains("symbolic link"), message);
    }

    @Test
    void noRootsIsAConfigurationError() {
        assertThrows(IllegalArgumentException.class, () -> PathRoots.of(List.of()));
    }
}
