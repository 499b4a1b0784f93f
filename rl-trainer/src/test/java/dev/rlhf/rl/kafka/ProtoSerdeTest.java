package dev.rlhf.rl.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.proto.v1.Rollout;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class ProtoSerdeTest {

    private final ProtoSerde<Rollout> serde = ProtoSerde.of(Rollout.parser());

    @Test
    void roundTripsARollout() {
        Rollout rollout = TestRecords.rollout("job", 2, 5, 1, 300);

        byte[] bytes = serde.serialize("t", rollout);

        assertEquals(rollout, serde.deserialize("t", bytes));
        assertEquals(rollout.getSerializedSize(), bytes.length);
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertNull(serde.serialize("t", null));
        assertNull(serde.deserialize("t", null));
    }

    @Test
    void garbageFailsNamingTheTopic() {
        SerializationException e = assertThrows(
                SerializationException.class, () -> serde.deserialize("rlhf.j.rollouts", new byte[] {(byte) 0xff}));
        assertTrue(e.getMessage().startsWith("topic rlhf.j.rollouts: 1 bytes"), e.getMessage());
    }
}
