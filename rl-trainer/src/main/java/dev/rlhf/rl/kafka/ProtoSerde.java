package dev.rlhf.rl.kafka;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka value (de)serializer for one protobuf message type: the record value is the message's binary encoding, with
 * no framing or schema id (each topic carries exactly one type, named in {@code records.proto}).
 *
 * @param <T> the message type, e.g. {@code Rollout}
 */
public final class ProtoSerde<T extends Message> implements Serializer<T>, Deserializer<T> {

    private final Parser<T> parser;

    public ProtoSerde(Parser<T> parser) {
        this.parser = parser;
    }

    /** {@code ProtoSerde.of(Rollout.parser())}. */
    public static <T extends Message> ProtoSerde<T> of(Parser<T> parser) {
        return new ProtoSerde<>(parser);
    }

    @Override
    public byte[] serialize(String topic, T message) {
        return message == null ? null : message.toByteArray();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return parser.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            throw new SerializationException(
                    "topic " + topic + ": " + data.length + " bytes are not a valid protobuf message", e);
        }
    }

    // Serializer and Deserializer both declare these as defaults; there is nothing to configure or release.
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {}

    @Override
    public void close() {}
}
