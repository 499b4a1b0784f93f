package dev.rlhf.gateway.health;

import dev.rlhf.gateway.service.ModelBackend;
import dev.rlhf.gateway.service.ModelRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health/ready}: up once every repository model is loaded (the registry loads them all at startup or the
 * start fails), listing each model and where it runs. Forwarded servers are not probed here.
 */
@Readiness
@ApplicationScoped
public class ModelsHealthCheck implements HealthCheck {

    private final ModelRegistry registry;

    public ModelsHealthCheck(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named("models").up();
        for (ModelBackend model : registry.all()) {
            response.withData(model.name(), model.location());
        }
        return response.build();
    }
}
