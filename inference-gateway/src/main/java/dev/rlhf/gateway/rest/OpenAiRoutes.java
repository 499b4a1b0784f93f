package dev.rlhf.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.core.security.BearerToken;
import dev.rlhf.gateway.config.GatewayConfig;
import dev.rlhf.gateway.mapping.ChatRequestParser;
import dev.rlhf.gateway.mapping.OpenAiJson;
import dev.rlhf.gateway.service.ChatCompletions;
import dev.rlhf.gateway.service.GatewayException;
import dev.rlhf.gateway.service.PolicyGenerator;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import org.jboss.logging.Logger;

/**
 * The OpenAI API on the gateway's HTTP port, for the policy: {@code POST /v1/chat/completions} (JSON, or server-sent
 * {@code chat.completion.chunk} events with {@code stream}) and {@code GET /v1/models[/{id}]}. Vert.x routes rather
 * than a JAX-RS resource, so each token is written to the socket as soon as it is sampled and the stream's exact bytes
 * ({@code data: ...\n\n}, {@code data: [DONE]}) are OpenAI's. Errors have OpenAI's shape; with {@code gateway.token}
 * set, every call needs {@code Authorization: Bearer <token>} (401 otherwise).
 */
@ApplicationScoped
public class OpenAiRoutes {

    private static final Logger LOG = Logger.getLogger(OpenAiRoutes.class);
    private static final int MAX_BODY_BYTES = 8 << 20;

    private final PolicyGenerator policy;
    private final ChatCompletions chat;
    private final Optional<BearerToken> token;
    private final long started = System.currentTimeMillis() / 1000;

    public OpenAiRoutes(PolicyGenerator policy, ChatCompletions chat, GatewayConfig config) {
        this.policy = policy;
        this.chat = chat;
        this.token = BearerToken.of(config.token());
    }

    void register(@Observes Router router) {
        router.route("/v1/*").order(-1).handler(this::authorize);
        router.get("/v1/models").handler(ctx -> json(ctx, 200, OpenAiJson.modelList(models())));
        router.get("/v1/models/:id").handler(this::model);
        router.post("/v1/chat/completions")
                .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
                .blockingHandler(this::chatCompletions, false);
    }

    private void authorize(RoutingContext ctx) {
        if (token.isEmpty()) {
            ctx.next();
            return;
        }
        Optional<BearerToken.Refusal> refusal = token.get().check(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (refusal.isEmpty()) {
            ctx.next();
            return;
        }
        String message = refusal.get() == BearerToken.Refusal.MISSING
                ? "You didn't provide an API key: send the header 'Authorization: Bearer <gateway.token>'."
                : "Incorrect API key provided.";
        json(ctx, 401, OpenAiJson.error(message, "invalid_request_error", null, "invalid_api_key"));
    }

    private List<ObjectNode> models() {
        return policy.served() ? List.of(OpenAiJson.model(policy.name(), started, policy.maxPositions())) : List.of();
    }

    private void model(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        if (policy.served() && policy.name().equals(id)) {
            json(ctx, 200, models().get(0));
        } else {
            json(
                    ctx,
                    404,
                    OpenAiJson.error(
                            "The model '" + id + "' does not exist (serving: " + policy.name() + ")",
                            "invalid_request_error",
                            "model",
                            "model_not_found"));
        }
    }

    private void chatCompletions(RoutingContext ctx) {
        ChatRequestParser.ChatRequest request;
        ChatCompletions.Prepared prepared;
        try {
            request = ChatRequestParser.parse(body(ctx));
            prepared = chat.prepare(request.query());
        } catch (RuntimeException e) {
            error(ctx, e);
            return;
        }
        OpenAiJson.Header header = new OpenAiJson.Header(
                "chatcmpl-" + UUID.randomUUID().toString().replace("-", ""),
                System.currentTimeMillis() / 1000,
                policy.name());
        try (prepared) {
            if (request.stream()) {
                stream(ctx, request, prepared, header);
            } else {
                complete(ctx, prepared, header);
            }
        }
    }

    private void complete(RoutingContext ctx, ChatCompletions.Prepared prepared, OpenAiJson.Header header) {
        StringBuilder[] texts = new StringBuilder[prepared.n()];
        ChatCompletions.Finish[] finishes = new ChatCompletions.Finish[prepared.n()];
        Arrays.setAll(texts, i -> new StringBuilder());
        ChatCompletions.Usage usage;
        try {
            usage = chat.run(prepared, new ChatCompletions.Listener() {
                @Override
                public void delta(int choice, String text) {
                    if (ctx.response().closed()) {
                        throw new CancellationException("the client went away");
                    }
                    texts[choice].append(text);
                }

                @Override
                public void finished(int choice, ChatCompletions.Finish finish) {
                    finishes[choice] = finish;
                }
            });
        } catch (CancellationException e) {
            LOG.debugf("completion %s: %s", header.id(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            error(ctx, e);
            return;
        }
        List<String> out = new ArrayList<>();
        for (StringBuilder text : texts) {
            out.add(text.toString());
        }
        json(ctx, 200, OpenAiJson.completion(header, out, Arrays.asList(finishes), usage));
    }

    /** Server-sent events: each choice's role chunk, content chunks as tokens come, its finish chunk, [DONE]. */
    private void stream(
            RoutingContext ctx,
            ChatRequestParser.ChatRequest request,
            ChatCompletions.Prepared prepared,
            OpenAiJson.Header header) {
        HttpServerResponse response = ctx.response();
        response.setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        boolean usageField = request.includeUsage();
        for (int i = 0; i < prepared.n(); i++) {
            event(response, OpenAiJson.roleChunk(header, i, usageField));
        }
        try {
            ChatCompletions.Usage usage = chat.run(prepared, new ChatCompletions.Listener() {
                @Override
                public void delta(int choice, String text) {
                    event(response, OpenAiJson.contentChunk(header, choice, text, usageField));
                }

                @Override
                public void finished(int choice, ChatCompletions.Finish finish) {
                    event(response, OpenAiJson.finishChunk(header, choice, finish, usageField));
                }
            });
            if (usageField) {
                event(response, OpenAiJson.usageChunk(header, usage));
            }
        } catch (CancellationException e) {
            LOG.debugf("stream %s: %s", header.id(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            OpenAiError failure = OpenAiError.of(e);
            event(response, failure.body());
        }
        if (!response.closed()) {
            response.end("data: [DONE]\n\n");
        }
    }

    private static void event(HttpServerResponse response, JsonNode data) {
        if (response.closed()) {
            throw new CancellationException("the client went away");
        }
        response.write("data: " + data + "\n\n");
    }

    private static JsonNode body(RoutingContext ctx) {
        if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() == 0) {
            throw new GatewayException.InvalidRequest(null, "the request body is empty: send a JSON object");
        }
        try {
            return OpenAiJson.JSON.readTree(ctx.body().buffer().getBytes());
        } catch (JsonProcessingException e) {
            throw new GatewayException.InvalidRequest(
                    null, "the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new GatewayException.InvalidRequest(null, "the request body cannot be read: " + e.getMessage());
        }
    }

    private static void error(RoutingContext ctx, RuntimeException e) {
        OpenAiError failure = OpenAiError.of(e);
        json(ctx, failure.status(), failure.body());
    }

    private static void json(RoutingContext ctx, int status, JsonNode body) {
        if (ctx.response().closed()) {
            return;
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(body.toString());
    }
}
