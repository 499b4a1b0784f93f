package dev.rlhf.gateway.health;

import dev.rlhf.gateway.service.ModelBackend;
import dev.rlhf.gateway.service.ModelRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health/ready}: up once every model can answer. Repository models are loaded at startup (or the start
 * fails); a forwarded model is asked its upstream server's readiness, so a gateway in front of Triton pods reports
 * ready only when they are. Each model is listed with where it runs, or why it cannot answer.
 */
@Readiness
@ApplicationScoped
public class ModelsHealthCheck implements HealthCheck {

    private final Supplier<Collection<ModelBackend>> models;

    @Inject
    public ModelsHealthCheck(ModelRegistry registry) {
        this(registry::all);
    }

    ModelsHealthCheck(Supplier<Collection<ModelBackend>> models) {
        this.models = models;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("models");
        boolean allReady = true;
        for (ModelBackend model : models.get()) {
            String state;
            try {
                boolean ready = model.ready("");
                state = ready ? model.location() : "not ready at " + model.location();
                allReady &= ready;
            } catch (RuntimeException e) {
                state = "unreachable at " + model.location() + ": " + e.getMessage();
                allReady = false;
            }
            response.withData(model.name(), state);
        }
        return response.status(allReady).build();
    }
}
