package dev.rlhf.core.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record component whose keys sit in the enclosing section instead of a section of their own (as Jackson's
 * {@code @JsonUnwrapped}): a job config's {@link RunHeader} is written {@code output_dir: runs}, not
 * {@code run: {output_dir: runs}}, yet is one record shared by every job.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Unwrapped {}
