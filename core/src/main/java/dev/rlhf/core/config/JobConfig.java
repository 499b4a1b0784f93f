package dev.rlhf.core.config;

/** A job's config record: the run it lives in ({@link RunHeader}) and the files it names. */
public interface JobConfig extends PathValuedConfig {

    RunHeader run();
}
