package dev.rlhf.rl.kafka;

import dev.rlhf.proto.v1.PromptRecord;
import io.vertx.kafka.client.common.TopicPartition;

/** A prompt a rollout worker received, with where it came from so that the worker can commit it once answered. */
public record ConsumedPrompt(PromptRecord prompt, TopicPartition partition, long offset) implements RecordPosition {}
