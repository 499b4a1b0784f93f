package dev.rlhf.core.jobs;

import dev.rlhf.core.config.ConfigPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The directories that jobs submitted over the network may name files in. A path is inside when both hold:
 *
 * <ul>
 *   <li>resolved against the working directory (as the jobs resolve it) and normalised, it lies under a root, so
 *       {@code ..} cannot climb out;
 *   <li>with symbolic links followed along the part of it that exists, its real location lies under a root's real
 *       location, so a link inside a root cannot lead out either.
 * </ul>
 *
 * Roots are compared component by component: {@code /data} does not admit {@code /database}.
 */
public final class PathRoots {

    /** Not preceded by a character a path can hold. */
    private static final String PATH_START = "(?<![\\w.~/-])";

    private final List<Path> roots;
    private final List<Path> realRoots;

    private PathRoots(List<Path> roots) {
        this.roots = roots;
        this.realRoots = roots.stream().map(PathRoots::real).toList();
    }

    /** @param roots the allowed directories, relative ones against the working directory; need not exist yet */
    public static PathRoots of(List<Path> roots) {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("no allowed path roots: give at least one directory");
        }
        return new PathRoots(roots.stream()
                .map(root -> root.toAbsolutePath().normalize())
                .distinct()
                .toList());
    }

    /** The roots, absolute and normalised. */
    public List<Path> roots() {
        return roots;
    }

    /**
     * What is wrong with the entry's path, naming its key; empty when it lies inside the roots. The message shows the
     * path as given and no server path: neither the roots nor where a link leads.
     */
    public Optional<String> problem(ConfigPath entry) {
        Path given = entry.path();
        Path absolute = given.toAbsolutePath().normalize();
        if (!inside(absolute, roots)) {
            return Optional.of(entry.key() + ": " + given + " is outside the allowed roots");
        }
        Path real;
        try {
            real = real(given.toAbsolutePath());
        } catch (IllegalStateException e) {
            return Optional.of(entry.key() + ": " + given + " leads through a broken or unreadable symbolic link");
        }
        if (!inside(real, realRoots)) {
            return Optional.of(
                    entry.key() + ": " + given + " leads through a symbolic link to a place outside the allowed roots");
        }
        return Optional.empty();
    }

    /**
     * {@code message} with every absolute path inside a root said relative to that root ({@code /srv/rlhf/runs/a}
     * under the root {@code /srv/rlhf} becomes {@code runs/a}), for answers that leave the server: the domain's
     * messages name whole paths, which the command line's local user wants and a remote one must not see.
     */
    public String relativize(String message) {
        if (message == null) {
            return null;
        }
        String out = message;
        for (Path root : longestFirst()) {
            // only where a path starts: not inside a longer path that happens to contain the root's name
            out = out.replaceAll(PATH_START + Pattern.quote(root + "/"), "");
        }
        return out;
    }

    /** The roots and their real locations, longest first, so a nested root is cut before the one holding it. */
    private List<Path> longestFirst() {
        return Stream.concat(roots.stream(), realRoots.stream())
                .filter(root -> root.getNameCount() > 0) // "/" as a root: every path is inside, none is cut
                .distinct()
                .sorted(Comparator.comparingInt((Path p) -> p.toString().length())
                        .reversed())
                .toList();
    }

    private static boolean inside(Path path, List<Path> within) {
        return within.stream().anyMatch(path::startsWith);
    }

    /**
     * Where an absolute path really leads: its longest existing prefix with every symbolic link followed (as the
     * operating system resolves it, {@code ..} after a link included), then the rest of it, normalised.
     */
    static Path real(Path absolute) {
        Path existing = absolute;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute.normalize();
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
        } catch (IOException e) {
            // A link that leads nowhere (or nowhere readable) cannot be shown to stay inside.
            throw new IllegalStateException(existing + " is a broken symbolic link or unreadable (" + e + ")", e);
        }
    }

    @Override
    public String toString() {
        return roots.toString();
    }
}
