package dev.rlhf.rl.mapping;

import dev.rlhf.core.rollout.Rollout;
import dev.rlhf.core.rollout.RolloutBatch;
import java.util.ArrayList;
import java.util.List;

/** Core rollouts to and from the {@code rlhf.v1.Rollout} Kafka records. */
public final class RolloutRecords {

    private RolloutRecords() {}

    public static dev.rlhf.proto.v1.Rollout toRecord(Rollout r, String jobId, String workerId) {
        dev.rlhf.proto.v1.Rollout.Builder b = dev.rlhf.proto.v1.Rollout.newBuilder()
                .setJobId(jobId)
                .setIteration(r.iteration())
                .setIndex(r.index())
                .setPolicyVersion(r.policyVersion())
                .setReward(r.score())
                .setRewardRaw(r.score())
                .setCreatedAtMs(System.currentTimeMillis())
                .setWorkerId(workerId);
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

    /** A worker batch's records, each carrying its share of the batch's generation and scoring time. */
    public static List<dev.rlhf.proto.v1.Rollout> toRecords(RolloutBatch batch, String jobId, String workerId) {
        return batch.rollouts().stream()
                .map(r -> toRecord(r, jobId, workerId).toBuilder()
                        .setGenerateSeconds((float) batch.generateSecondsEach())
                        .setScoreSeconds((float) batch.scoreSecondsEach())
                        .build())
                .toList();
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
                r.getReward());
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
