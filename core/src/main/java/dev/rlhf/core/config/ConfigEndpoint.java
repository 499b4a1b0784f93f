package dev.rlhf.core.config;

/**
 * A network address that a job config makes the trainer dial, with the dotted key that names it
 * ({@code scoring.endpoint}, {@code kafka.bootstrap[1]}): what a service checks against its endpoint allow-list.
 *
 * @param key the key as written in YAML, list entries indexed
 * @param address {@code host:port} as written
 */
public record ConfigEndpoint(String key, String address) {}
