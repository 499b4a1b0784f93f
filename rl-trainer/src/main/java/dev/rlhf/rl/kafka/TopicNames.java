package dev.rlhf.rl.kafka;

import java.util.regex.Pattern;

/**
 * Topic and consumer-group names of one PPO job: {@code rlhf.<job>.prompts}, {@code rlhf.<job>.rollouts},
 * {@code rlhf.<job>.policy-versions}. Each job has its own topics, so jobs never read each other's records and a
 * finished job's topics can be deleted as a whole.
 */
public final class TopicNames {

    private static final String PREFIX = "rlhf.";
    // Kafka's legal topic characters; the prefix and suffix use at most 23 of its 249 characters.
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9_-]{1,200}");

    private TopicNames() {}

    /** {@code PromptRecord}s, learner to rollout workers. */
    public static String prompts(String jobId) {
        return PREFIX + checked(jobId) + ".prompts";
    }

    /** {@code Rollout}s, rollout workers to learner. */
    public static String rollouts(String jobId) {
        return PREFIX + checked(jobId) + ".rollouts";
    }

    /** {@code PolicyVersion} announcements, learner to rollout workers. */
    public static String policyVersions(String jobId) {
        return PREFIX + checked(jobId) + ".policy-versions";
    }

    /** The consumer group in which the rollout workers of a job share its prompts. */
    public static String workerGroup(String jobId) {
        return PREFIX + checked(jobId) + ".workers";
    }

    /** The consumer group of a job's learner on the rollouts topic; its committed offsets mark used experience. */
    public static String learnerGroup(String jobId) {
        return PREFIX + checked(jobId) + ".learner";
    }

    /** The job id itself, when it can be part of a topic name; dots are excluded so names split unambiguously. */
    static String checked(String jobId) {
        if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
            throw new IllegalArgumentException(
                    "job id '" + jobId + "' cannot name Kafka topics: use 1-200 of A-Z a-z 0-9 _ -");
        }
        return jobId;
    }
}
