package dev.rlhf.core.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Whether a job continues from a checkpoint: {@code auto}, {@code force}, {@code never}, or a checkpoint path. A
 * checkpoint trained under a config that differs in a key that changes training is refused unless {@code force}
 * (see {@code dev.rlhf.core.train.ResumeGuard}).
 */
public sealed interface ResumePolicy {

    /** The {@code resume} checkpoint when it is a path; nothing for {@code auto} and {@code never}. */
    default List<ConfigPath> paths() {
        return this instanceof FromPath from ? List.of(new ConfigPath("resume", from.checkpoint())) : List.of();
    }

    /** Continue from the run directory's {@code checkpoints/last} if there is one, else start fresh. */
    record Auto() implements ResumePolicy {
        @Override
        public String toString() {
            return "auto";
        }
    }

    /** Like {@link Auto}, but continue even when the checkpoint was trained under a different config. */
    record Force() implements ResumePolicy {
        @Override
        public String toString() {
            return "force";
        }
    }

    /** Always start fresh. */
    record Never() implements ResumePolicy {
        @Override
        public String toString() {
            return "never";
        }
    }

    /** Continue from this checkpoint directory; fail if it does not exist. */
    record FromPath(Path checkpoint) implements ResumePolicy {
        @Override
        public String toString() {
            return checkpoint.toString();
        }
    }

    /** Reads {@code auto}, {@code force}, {@code never} or a path. */
    static ResumePolicy parse(String text) {
        return switch (text.strip()) {
            case "auto" -> new Auto();
            case "force" -> new Force();
            case "never" -> new Never();
            case "" -> throw new IllegalArgumentException("expected auto, force, never or a checkpoint path, got \"\"");
            default -> new FromPath(Path.of(text.strip()));
        };
    }
}
