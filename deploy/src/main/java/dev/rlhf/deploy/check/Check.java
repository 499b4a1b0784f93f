package dev.rlhf.deploy.check;

import dev.rlhf.deploy.manifest.Manifests;
import java.util.List;

/** One rule that rendered manifests must keep; each problem names the file and object at fault. */
public interface Check {

    List<Problem> check(Manifests manifests);

    default Problem problem(String message) {
        return new Problem(getClass().getSimpleName(), message);
    }
}
