package dev.rlhf.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The health paths a Kubernetes pod probes ({@code /q/health/live}, {@code /q/health/ready},
 * {@code /q/health/started}, as the Quarkus services serve them), for a command that runs a long job in a pod: UP as
 * long as this JVM answers. A stuck or dead job ends the process, which the pod's restart policy handles.
 */
final class HealthEndpoint implements AutoCloseable {

    private static final byte[] UP = "{\"status\":\"UP\",\"checks\":[]}".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;

    private HealthEndpoint(HttpServer server) {
        this.server = server;
    }

    /** Serves on every interface of {@code port} (0: a free one) until closed. */
    static HealthEndpoint start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/q/health", HealthEndpoint::answer);
        server.start();
        return new HealthEndpoint(server);
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            boolean known = path.equals("/q/health")
                    || path.equals("/q/health/live")
                    || path.equals("/q/health/ready")
                    || path.equals("/q/health/started");
            if (!known || !exchange.getRequestMethod().equals("GET")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, UP.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(UP);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
