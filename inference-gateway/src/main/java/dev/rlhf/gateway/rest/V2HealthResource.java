package dev.rlhf.gateway.rest;

import dev.rlhf.gateway.service.ModelRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * The health endpoints of the KServe v2 HTTP protocol, at the paths Triton serves them, so probes written for Triton
 * work against the gateway: 200 means yes, 4xx no (404 for an unknown model).
 */
@Path("/v2")
public class V2HealthResource {

    private final ModelRegistry registry;

    public V2HealthResource(ModelRegistry registry) {
        this.registry = registry;
    }

    @GET
    @Path("/health/live")
    public Response live() {
        return Response.ok().build();
    }

    @GET
    @Path("/health/ready")
    public Response ready() {
        return Response.ok().build();
    }

    @GET
    @Path("/models/{name}/ready")
    @Blocking
    public Response modelReady(@PathParam("name") String name) {
        return registry.find(name)
                .map(model -> model.ready("") ? Response.ok() : Response.status(Response.Status.BAD_REQUEST))
                .orElse(Response.status(Response.Status.NOT_FOUND))
                .build();
    }
}
