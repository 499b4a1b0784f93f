package dev.rlhf.core.jobs;

import dev.rlhf.core.config.ConfigEndpoint;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The network endpoints that jobs submitted over the network may make the trainer dial ({@code scoring.endpoint},
 * {@code kafka.bootstrap}). An entry is {@code host:port}, admitting that address, or {@code host}, admitting any port
 * of it; hosts compare case-insensitively and as written (no DNS lookup, so a name and its address are two entries).
 * Empty admits nothing but the in-process {@code embedded} servers, which are no network endpoint.
 */
public final class EndpointAllowList {

    private final List<String> entries;

    private EndpointAllowList(List<String> entries) {
        this.entries = entries;
    }

    public static EndpointAllowList of(List<String> entries) {
        return new EndpointAllowList(entries.stream()
                .map(String::strip)
                .filter(e -> !e.isEmpty())
                .map(e -> e.toLowerCase(Locale.ROOT))
                .distinct()
                .toList());
    }

    /** What is wrong with the endpoint, naming its key; empty when the list admits it. */
    public Optional<String> problem(ConfigEndpoint endpoint) {
        String address = endpoint.address().strip().toLowerCase(Locale.ROOT);
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? address : address.substring(0, colon);
        if (entries.contains(address) || entries.contains(host)) {
            return Optional.empty();
        }
        return Optional.of(endpoint.key() + ": " + endpoint.address() + " is not an allowed endpoint "
                + (entries.isEmpty() ? "(none is allowed: only embedded" : "(allowed: " + String.join(", ", entries))
                + "; the service's rlhf.api.endpoint-allow-list lists them)");
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
