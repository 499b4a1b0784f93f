package dev.rlhf.service.jobs.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Bad configs and requests (the domain's {@link IllegalArgumentException}s) become 400 with the message. */
public class BadInputMapper {

    @ServerExceptionMapper
    public Response badInput(IllegalArgumentException e) {
        return Response.status(Response.Status.BAD_REQUEST)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ErrorView(e.getMessage()))
                .build();
    }
}
