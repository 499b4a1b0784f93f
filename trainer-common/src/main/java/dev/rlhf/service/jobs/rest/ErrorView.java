package dev.rlhf.service.jobs.rest;

/** The body of a 4xx answer: what was wrong, naming the key, file or line. */
public record ErrorView(String error) {}
