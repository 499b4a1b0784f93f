package dev.rlhf.gateway.rest;

import static dev.rlhf.gateway.rest.ChatApi.complete;
import static dev.rlhf.gateway.rest.ChatApi.request;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.gateway.TestRepository;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Concurrent chat requests, merged into shared generation batches, get each the answer they get alone: every row of a
 * batch samples with its own seed, budget and stops.
 */
@QuarkusTest
@WithTestResource(TestRepository.class)
class ConcurrentChatTest {

    private static final int CLIENTS = 12;

    private static Map<String, Object> settings(int client) {
        return Map.of(
                "temperature", client % 3 == 0 ? 0 : 1.3,
                "max_tokens", 4 + client % 5 * 3,
                "seed", 100 + client,
                "n", 1 + client % 2);
    }

    @Test
    void concurrentRequestsGetTheAnswersTheyGetAlone() throws Exception {
        List<JsonNode> alone = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            alone.add(complete(request("prompt number " + c, settings(c))).get("choices"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            for (int round = 0; round < 2; round++) {
                List<Future<JsonNode>> together = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    together.add(pool.submit(() -> client % 2 == 0
                            ? complete(request("prompt number " + client, settings(client)))
                                    .get("choices")
                            : streamedChoices(client)));
                }
                for (int c = 0; c < CLIENTS; c++) {
                    assertEquals(alone.get(c), together.get(c).get(), "client " + c);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The streamed answer as the non-streamed {@code choices} it must equal. */
    private static JsonNode streamedChoices(int client) {
        List<JsonNode> chunks = ChatApi.stream(request("prompt number " + client, settings(client)));
        var choices = ChatApi.JSON.createArrayNode();
        int n = (int) settings(client).get("n");
        for (int i = 0; i < n; i++) {
            var choice = choices.addObject();
            choice.put("index", i);
            var message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", ChatApi.streamedText(chunks, i));
            message.putNull("refusal");
            choice.putNull("logprobs");
            for (JsonNode chunk : chunks) {
                for (JsonNode c : chunk.get("choices")) {
                    if (c.get("index").asInt() == i && !c.get("finish_reason").isNull()) {
                        choice.set("finish_reason", c.get("finish_reason"));
                    }
                }
            }
        }
        return choices;
    }
}
