package dev.rlhf.rl.kafka;

import java.time.Duration;

/**
 * A rollout worker was pointed at a job whose learner never created its topics (a typo in {@code exp} or the config
 * names, which make the job id) or whose learner has ended. The command line's exit 2.
 */
public final class UnknownJobException extends IllegalArgumentException {

    private UnknownJobException(String message) {
        super(message);
    }

    UnknownJobException(String jobId, String bootstrapServers, Duration timeout) {
        this("PPO job '" + jobId + "' does not exist on the Kafka cluster at " + bootstrapServers + ": no topics "
                + TopicNames.prompts(jobId) + ", " + TopicNames.rollouts(jobId) + ", "
                + TopicNames.policyVersions(jobId) + " after " + timeout.toSeconds()
                + " s (kafka.connect_timeout_s). Start its learner first; the job id is the run name <exp>-<configs>");
    }

    /** The job's learner announced its end before this worker joined. */
    public static UnknownJobException ended(String jobId, String reason) {
        return new UnknownJobException("PPO job '" + jobId + "' has ended (" + reason
                + "): a worker has nothing to answer; resubmit the job " + "to resume it, then start workers");
    }
}
