package dev.rlhf.rl.kafka;

import dev.rlhf.proto.v1.Rollout;
import io.vertx.kafka.client.common.TopicPartition;

/** A rollout the learner received, with its offset for {@link RolloutOffsets}. */
public record ConsumedRollout(Rollout rollout, TopicPartition partition, long offset) implements RecordPosition {}
