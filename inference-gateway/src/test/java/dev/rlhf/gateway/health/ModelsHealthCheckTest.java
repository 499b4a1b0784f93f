package dev.rlhf.gateway.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.gateway.service.ModelBackend;
import dev.rlhf.proto.inference.ModelConfig;
import dev.rlhf.proto.inference.ModelInferRequest;
import dev.rlhf.proto.inference.ModelInferResponse;
import dev.rlhf.proto.inference.ModelMetadataResponse;
import dev.rlhf.proto.inference.ModelStatistics;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** Readiness is the conjunction of every model's, and a forwarded model whose server is down is named. */
class ModelsHealthCheckTest {

    /** A model whose readiness is scripted: ready, not ready, or its server unreachable. */
    private record Scripted(String name, Boolean ready) implements ModelBackend {
        @Override
        public boolean ready(String version) {
            if (ready == null) {
                throw new IllegalStateException("UNAVAILABLE: io exception");
            }
            return ready;
        }

        @Override
        public ModelMetadataResponse metadata(String version) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ModelConfig config(String version) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<ModelInferResponse> infer(ModelInferRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Tokenizer> tokenizer() {
            return Optional.empty();
        }

        @Override
        public Optional<ModelStatistics> statistics() {
            return Optional.empty();
        }

        @Override
        public String location() {
            return "triton-" + name + ":8001";
        }

        @Override
        public void close() {}
    }

    private static HealthCheckResponse check(ModelBackend... models) {
        return new ModelsHealthCheck(() -> List.of(models)).call();
    }

    @Test
    void upWhenEveryModelIsReady() {
        HealthCheckResponse response = check(new Scripted("rm", true), new Scripted("ref", true));
        assertEquals(HealthCheckResponse.Status.UP, response.getStatus());
        assertEquals("triton-rm:8001", response.getData().orElseThrow().get("rm"));
    }

    @Test
    void downNamingTheModelWhoseServerIsUnreachableOrNotReady() {
        HealthCheckResponse response =
                check(new Scripted("rm", true), new Scripted("ref", null), new Scripted("policy", false));
        assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
        String ref = (String) response.getData().orElseThrow().get("ref");
        assertTrue(ref.startsWith("unreachable at triton-ref:8001") && ref.contains("UNAVAILABLE"), ref);
        assertEquals(
                "not ready at triton-policy:8001",
                response.getData().orElseThrow().get("policy"));
    }
}
