package dev.rlhf.rl.kafka;

import io.vertx.kafka.client.common.TopicPartition;

/** Where a consumed record sits: what {@link RolloutOffsets} needs to commit past it. */
public interface RecordPosition {

    TopicPartition partition();

    long offset();
}
