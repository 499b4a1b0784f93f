package dev.rlhf.service.jobs.rest;

import dev.rlhf.core.jobs.JobConflictException;
import dev.rlhf.core.jobs.PathRoots;
import dev.rlhf.core.runs.RunConflictException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The job API's one exception mapper: bad configs and requests (the domain's {@link IllegalArgumentException}s) are
 * 400; a job that would mix two runs ({@link RunConflictException}) or a request the job's state does not allow
 * ({@link JobConflictException}) is 409. Each answer carries the message, which names the key, file or run, with
 * every path inside {@code rlhf.api.path-roots} said relative to its root ({@link PathRoots#relativize}): a client
 * learns no absolute path of the server.
 */
public class ErrorMapper {

    private final PathRoots roots;

    public ErrorMapper(PathRoots roots) {
        this.roots = roots;
    }

    @ServerExceptionMapper
    public Response badInput(IllegalArgumentException e) {
        return error(Response.Status.BAD_REQUEST, e);
    }

    @ServerExceptionMapper
    public Response runConflict(RunConflictException e) {
        return error(Response.Status.CONFLICT, e);
    }

    @ServerExceptionMapper
    public Response jobConflict(JobConflictException e) {
        return error(Response.Status.CONFLICT, e);
    }

    private Response error(Response.Status status, RuntimeException e) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ErrorView(roots.relativize(e.getMessage())))
                .build();
    }
}
