package dev.rlhf.rl.kafka;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process broker (a temporary log dir) and the Kafka clients of a job, for a whole test class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaPerClass kafka = new KafkaPerClass();
 * ... kafka.clients(), kafka.broker().bootstrapServers()
 * }</pre>
 *
 * Started before the class's first test, closed (clients, then broker) after its last.
 */
public final class KafkaPerClass implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedKafkaBroker broker;
    private KafkaClients clients;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = EmbeddedKafkaBroker.start();
        clients = KafkaClients.open(broker.connection());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        clients.close();
        broker.close();
    }

    public EmbeddedKafkaBroker broker() {
        return broker;
    }

    public KafkaClients clients() {
        return clients;
    }
}
