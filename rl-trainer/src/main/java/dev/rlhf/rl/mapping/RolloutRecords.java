package dev.rlhf.rl.mapping;

import dev.rlhf.core.rollout.Rollout;
import dev.rlhf.core.rollout.RolloutBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Core rollouts to and from the {@code rlhf.v1.Rollout} Kafka records. */
public final class RolloutRecords {

    private RolloutRecords() {}

    /** @param rawTotal the weighted sum of the rollout's rewards ({@code reward}, for people reading the topic) */
    public static dev.rlhf.proto.v1.Rollout toRecord(Rollout r, double rawTotal, String jobId, String workerId) {
        dev.rlhf.proto.v1.Rollout.Builder b = dev.rlhf.proto.v1.Rollout.newBuilder()
                .setJobId(jobId)
                .setIteration(r.iteration())
                .setIndex(r.index())
                .setPolicyVersion(r.policyVersion())
                .setReward((float) rawTotal)
                .setRewardRaw((float) rawTotal)
                .setCreatedAtMs(System.currentTimeMillis())
                .setWorkerId(workerId);
        for (float reward : r.rewards()) {
            b.addRewards(reward);
        }
        for (long id : r.promptIds()) {
            b.addPromptIds(id);
        }
        for (long id : r.responseIds()) {
            b.addResponseIds(id);
        }
        for (float lp : r.oldLogprobs()) {
            b.addResponseLogprobs(lp);
        }
        for (float lp : r.refLogprobs()) {
            b.addRefLogprobs(lp);
        }
        return b.build();
    }

    /**
     * A worker batch's records, each carrying its share of the batch's generation and scoring time, then a record
     * per failed prompt (its keys and {@code reward_error}).
     */
    public static List<dev.rlhf.proto.v1.Rollout> toRecords(
            RolloutBatch batch, ToDoubleFunction<float[]> rawTotal, String jobId, String workerId) {
        List<dev.rlhf.proto.v1.Rollout> out = new ArrayList<>();
        for (Rollout r : batch.rollouts()) {
            out.add(toRecord(r, rawTotal.applyAsDouble(r.rewards()), jobId, workerId).toBuilder()
                    .setGenerateSeconds((float) batch.generateSecondsEach())
                    .setScoreSeconds((float) batch.scoreSecondsEach())
                    .build());
        }
        for (RolloutBatch.Failed f : batch.failed()) {
            out.add(dev.rlhf.proto.v1.Rollout.newBuilder()
                    .setJobId(jobId)
                    .setIteration(f.iteration())
                    .setIndex(f.index())
                    .setPolicyVersion(f.policyVersion())
                    .setCreatedAtMs(System.currentTimeMillis())
                    .setWorkerId(workerId)
                    .setRewardError(f.reason())
                    .build());
        }
        return out;
    }

    public static Rollout fromRecord(dev.rlhf.proto.v1.Rollout r) {
        return new Rollout(
                r.getIteration(),
                r.getIndex(),
                r.getPolicyVersion(),
                r.getPromptIdsList().stream().mapToLong(Long::longValue).toArray(),
                r.getResponseIdsList().stream().mapToLong(Long::longValue).toArray(),
                floats(r.getResponseLogprobsList()),
                floats(r.getRefLogprobsList()),
                floats(r.getRewardsList()));
    }

    private static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    public static List<Rollout> fromRecords(List<dev.rlhf.proto.v1.Rollout> records) {
        List<Rollout> out = new ArrayList<>(records.size());
        records.forEach(r -> out.add(fromRecord(r)));
        return out;
    }
}
