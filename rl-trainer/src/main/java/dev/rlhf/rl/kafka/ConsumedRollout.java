package dev.rlhf.rl.kafka;

import dev.rlhf.proto.v1.Rollout;
import org.apache.kafka.common.TopicPartition;

/** A rollout the learner received, with its offset for {@link RolloutOffsets}. */
public record ConsumedRollout(Rollout rollout, TopicPartition partition, long offset) {}
