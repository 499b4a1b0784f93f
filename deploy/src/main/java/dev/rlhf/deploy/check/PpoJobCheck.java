package dev.rlhf.deploy.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.deploy.manifest.Manifests;
import dev.rlhf.deploy.manifest.PpoCommand;
import dev.rlhf.deploy.manifest.PpoJobConfig;
import dev.rlhf.deploy.manifest.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The PPO roles meet. Each PPO command names configs that a ConfigMap mounted into its pod holds; each rollout
 * worker's job id (the run name {@code <exp>-<configs>}, which names the topics) is also a learner's (a learner
 * command, or a config with {@code role: learner} that the trigger endpoint runs); and each job's topics are declared
 * as KafkaTopics: {@code rlhf.<job>.prompts} and {@code .rollouts} with {@code kafka.partitions} partitions and at
 * least as many as the rollout workers that take prompts (replicas times {@code kafka.workers}), and
 * {@code .policy-versions} with one compacted partition. Rollout workers run as a Job: they exit 0 when the learner
 * announces the job's end, which a Deployment would answer by starting them again, forever.
 */
public final class PpoJobCheck implements Check {

    @Override
    public List<Problem> check(Manifests manifests) {
        List<PpoJobConfig> configs = PpoJobConfig.in(manifests);
        List<PpoCommand> commands = PpoCommand.in(manifests);
        List<Problem> problems = new ArrayList<>();
        Map<String, String> learners = new LinkedHashMap<>();
        Map<String, Integer> partitions = new LinkedHashMap<>();
        for (PpoJobConfig config : configs) {
            if (config.get("role").orElse(PpoJobConfig.DEFAULTS.get("role")).equals("learner")) {
                learners.put(config.jobId(), config.where());
            }
            partitions.put(
                    config.jobId(),
                    Integer.parseInt(config.get("kafka.partitions").orElse("4")));
        }
        for (PpoCommand command : commands) {
            List<PpoJobConfig> found = command.configs(configs);
            if (found.size() != command.configNames().size()) {
                problems.add(problem(
                        command.where() + " runs --configs " + command.configNames() + " but its pod mounts only "
                                + found.stream().map(PpoJobConfig::name).toList()));
                continue;
            }
            String job = command.jobId(configs);
            partitions.put(job, Integer.parseInt(command.value("kafka.partitions", configs)));
            if (command.value("role", configs).equals("learner")) {
                learners.put(job, command.where());
            }
        }
        for (PpoCommand command : commands) {
            if (command.configs(configs).size() == command.configNames().size()
                    && command.value("role", configs).equals("worker")) {
                worker(manifests, command, configs, learners, problems);
            }
        }
        partitions.forEach((job, count) -> topics(manifests, job, count, problems));
        return problems;
    }

    private void worker(
            Manifests manifests,
            PpoCommand command,
            List<PpoJobConfig> configs,
            Map<String, String> learners,
            List<Problem> problems) {
        String job = command.jobId(configs);
        String kind = command.workload().resource().kind();
        if (!kind.equals("Job")) {
            problems.add(problem(command.where() + " runs rollout workers in a " + kind + ", but they exit 0 when "
                    + "the learner announces the job's end: run them as a Job, which then completes"));
        }
        if (!learners.containsKey(job)) {
            problems.add(problem(command.where() + " works for job " + job + " but no learner runs that job "
                    + "(learner jobs: " + learners.keySet() + ")"));
        }
        int takers = command.workload().replicas() * Integer.parseInt(command.value("kafka.workers", configs));
        topic(manifests, "rlhf." + job + ".prompts").ifPresent(prompts -> {
            int count = prompts.spec().path("partitions").asInt(1);
            if (count < takers) {
                problems.add(problem(command.where() + " runs " + takers + " rollout workers but " + prompts.where()
                        + " has " + count + " partitions: " + (takers - count) + " would idle"));
            }
        });
    }

    private void topics(Manifests manifests, String job, int partitions, List<Problem> problems) {
        for (String suffix : List.of("prompts", "rollouts")) {
            String name = "rlhf." + job + "." + suffix;
            Optional<Resource> topic = topic(manifests, name);
            if (topic.isEmpty()) {
                problems.add(problem("job " + job + ": no KafkaTopic for " + name));
            } else if (topic.get().spec().path("partitions").asInt(1) != partitions) {
                problems.add(problem(topic.get().where() + " has "
                        + topic.get().spec().path("partitions").asInt(1)
                        + " partitions but job " + job + " has kafka.partitions " + partitions
                        + " (the trainers would resize it behind Strimzi's back)"));
            }
        }
        String name = "rlhf." + job + ".policy-versions";
        Optional<Resource> versions = topic(manifests, name);
        if (versions.isEmpty()) {
            problems.add(problem("job " + job + ": no KafkaTopic for " + name));
            return;
        }
        JsonNode spec = versions.get().spec();
        if (spec.path("partitions").asInt(1) != 1) {
            problems.add(problem(versions.get().where() + " must have 1 partition (latest version wins), has "
                    + spec.path("partitions").asInt()));
        }
        if (!spec.path("config").path("cleanup.policy").asText().equals("compact")) {
            problems.add(problem(versions.get().where() + " must be compacted (config cleanup.policy: compact)"));
        }
    }

    /** The KafkaTopic whose topic name ({@code spec.topicName}, else {@code metadata.name}) is {@code name}. */
    private static Optional<Resource> topic(Manifests manifests, String name) {
        return manifests.ofKind("KafkaTopic").stream()
                .filter(t -> t.spec().path("topicName").asText(t.name()).equals(name))
                .findFirst();
    }
}
