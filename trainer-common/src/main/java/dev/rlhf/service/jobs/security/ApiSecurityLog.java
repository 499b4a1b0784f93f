package dev.rlhf.service.jobs.security;

import dev.rlhf.core.jobs.PathRoots;
import dev.rlhf.service.jobs.config.ApiConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** Says at startup how the job API is guarded, and warns when anyone who reaches the port may start jobs. */
@Singleton
public class ApiSecurityLog {

    private static final Logger LOG = Logger.getLogger(ApiSecurityLog.class);

    void onStart(@Observes StartupEvent event, ApiConfig config) {
        String roots = PathRoots.of(config.pathRoots()).toString();
        if (config.token().filter(t -> !t.isBlank()).isPresent()) {
            LOG.infof(
                    "job API: POST and DELETE need the bearer token (rlhf.api.token); job paths confined to %s", roots);
        } else {
            LOG.warnf(
                    "job API: rlhf.api.token (env RLHF_API_TOKEN) is not set, so anyone who reaches this port can start"
                            + " and cancel jobs; job paths confined to %s",
                    roots);
        }
    }
}
