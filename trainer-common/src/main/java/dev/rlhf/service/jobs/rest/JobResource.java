package dev.rlhf.service.jobs.rest;

import dev.rlhf.core.jobs.Job;
import dev.rlhf.core.jobs.JobQueue;
import dev.rlhf.core.jobs.JobSpec;
import dev.rlhf.core.jobs.PathRoots;
import dev.rlhf.core.runs.SampleLog;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * The job API every trainer serves: submit a config, watch it train, cancel it. The config is the request body (YAML
 * or JSON), composed over the named configs ({@code ?configs=defaults,tiny-llama}) with {@code ?set=key=value}
 * overrides, exactly as on the command line.
 */
@Path("/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    private final JobQueue queue;
    private final PathRoots roots;

    public JobResource(JobQueue queue, PathRoots roots) {
        this.queue = queue;
        this.roots = roots;
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, "application/yaml", "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN})
    public Response submit(
            String body,
            @QueryParam("configs") String configs,
            @QueryParam("set") List<String> set,
            @QueryParam("kind") String kind) {
        Job job = queue.submit(new JobSpec(names(configs), body, set, java.util.Optional.ofNullable(kind)));
        return Response.accepted(JobView.of(job, queue, roots)).build();
    }

    @GET
    public List<JobView> list() {
        return queue.list().stream().map(j -> JobView.of(j, queue, roots)).toList();
    }

    @GET
    @Path("{id}")
    public JobView get(@PathParam("id") String id) {
        return JobView.of(find(id), queue, roots);
    }

    @GET
    @Path("{id}/metrics")
    public List<MetricsPointView> metrics(@PathParam("id") String id) {
        return find(id).series().stream().map(MetricsPointView::of).toList();
    }

    /** The series so far, then each new point as it is logged; the stream ends with the job. */
    @GET
    @Path("{id}/metrics")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<MetricsPointView> stream(@PathParam("id") String id) {
        return MetricsStream.of(find(id)).map(MetricsPointView::of);
    }

    /** The latest generations on the job's fixed sample prompts, newest step first; empty for jobs that write none. */
    @GET
    @Path("{id}/samples")
    public List<SamplesView> samples(@PathParam("id") String id, @QueryParam("limit") @DefaultValue("1") int limit) {
        return SampleLog.of(find(id).runDir()).latest(limit).stream()
                .map(SamplesView::of)
                .toList();
    }

    /** An evaluation job's {@code eval.json} (win rates, intervals, per-prompt verdicts); 404 for jobs that wrote none. */
    @GET
    @Path("{id}/eval")
    public String eval(@PathParam("id") String id) throws java.io.IOException {
        java.nio.file.Path report = find(id).runDir().resolve("eval.json");
        if (!java.nio.file.Files.isRegularFile(report)) {
            throw new NotFoundException(Response.status(404)
                    .entity(new ErrorView("job '" + id + "' wrote no eval.json"))
                    .build());
        }
        return java.nio.file.Files.readString(report);
    }

    @DELETE
    @Path("{id}")
    public Response cancel(@PathParam("id") String id) {
        Job job = queue.cancel(id).orElseThrow(() -> notFound(id));
        return Response.accepted(JobView.of(job, queue, roots)).build();
    }

    /** Runs an interrupted (or failed, or cancelled) job again; it continues its run's last checkpoint. */
    @POST
    @Path("{id}/resume")
    public Response resume(@PathParam("id") String id) {
        Job job = queue.resume(id).orElseThrow(() -> notFound(id));
        return Response.accepted(JobView.of(job, queue, roots)).build();
    }

    private Job find(String id) {
        return queue.get(id).orElseThrow(() -> notFound(id));
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException(Response.status(404)
                .entity(new ErrorView("no job '" + id + "'"))
                .build());
    }

    private static List<String> names(String configs) {
        if (configs == null || configs.isBlank()) {
            return List.of();
        }
        return Arrays.stream(configs.split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
    }
}
