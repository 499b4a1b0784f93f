package dev.rlhf.rl.kafka;

import dev.rlhf.proto.v1.FinishReason;
import dev.rlhf.proto.v1.PromptRecord;
import dev.rlhf.proto.v1.Rollout;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Records of realistic shape for the Kafka tests and the client benchmark. */
final class TestRecords {

    private static final AtomicInteger JOBS = new AtomicInteger();

    private TestRecords() {}

    /** A job id no other test in this JVM uses, so each test has its own topics and groups. */
    static String newJobId(String name) {
        return name + "-" + JOBS.incrementAndGet() + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    }

    static PromptRecord prompt(String jobId, long iteration, int index) {
        return PromptRecord.newBuilder()
                .setJobId(jobId)
                .setIteration(iteration)
                .setIndex(index)
                .setPrompt("Human: question " + index + "\n\nAssistant:")
                .addPromptIds(1)
                .addPromptIds(100 + index)
                .build();
    }

    /**
     * A rollout with a 128-token prompt, {@code responseTokens} response tokens and their policy and reference
     * log-probabilities: about 3.6 KB serialized at 300 response tokens.
     */
    static Rollout rollout(String jobId, long iteration, int index, long policyVersion, int responseTokens) {
        Random random = new Random(31L * iteration + index);
        Rollout.Builder rollout = Rollout.newBuilder()
                .setJobId(jobId)
                .setIteration(iteration)
                .setIndex(index)
                .setPolicyVersion(policyVersion)
                .setReward((float) random.nextGaussian())
                .setCreatedAtMs(1_700_000_000_000L + index)
                .setWorkerId("worker-0")
                .setFinishReason(FinishReason.FINISH_REASON_STOP_TOKEN);
        for (int i = 0; i < 128; i++) {
            rollout.addPromptIds(random.nextInt(32_000));
        }
        for (int i = 0; i < responseTokens; i++) {
            rollout.addResponseIds(random.nextInt(32_000));
            rollout.addResponseLogprobs((float) -random.nextDouble() * 5);
            rollout.addRefLogprobs((float) -random.nextDouble() * 5);
        }
        return rollout.build();
    }

    /**
     * Writes {@code value} to {@code topic} with a plain producer, as a misconfigured or foreign client would, keyed
     * "garbage" (a compacted topic takes only keyed records).
     */
    static void writeRaw(String bootstrap, String topic, byte[] value) {
        Map<String, Object> settings = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "garbage".getBytes(), value))
                    .get();
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("writing to " + topic, e);
        }
    }
}
