package dev.rlhf.cli.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.cli.eval.JudgeGateway;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.config.ComposedConfig;
import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.model.LanguageModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shipped tiny pipeline, cut to a few steps per stage: every stage runs and hands its checkpoint to the next, the
 * summary holds a finite figure for each result, and runs given models of the user's own (a policy and a reward model,
 * a base model, a policy alone) skip exactly the stages those replace.
 */
class PipelineTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize(); // tests run in the module directory
    /** The gateway PPO's embedded scoring starts, packaged before this module's tests (a reactor dependency). */
    private static final Path GATEWAY_JAR = ROOT.resolve("inference-gateway/target/quarkus-app/quarkus-run.jar");

    private static final JobContext QUIET = JobContext.silent();

    private static ComposedConfig compose(Path out, String... more) {
        Path data = ROOT.resolve("data");
        List<String> overrides = new ArrayList<>(List.of(
                "output_dir=" + out,
                "tokenizer.corpus=[{path: " + data.resolve("tinyshakespeare.txt") + ", format: text}, {path: "
                        + data.resolve("hh-harmless-pairs.jsonl.gz") + ", format: hh}]",
                "pretrain.set=[train.max_steps=6, train.eval_every=6, seq_len=64, model.init="
                        + ROOT.resolve("configs/model/tiny.json") + ", 'data.datasets=[{path: "
                        + data.resolve("tinyshakespeare.txt") + ", format: text}]']",
                "sft.set=[train.max_steps=6, train.eval_every=6, seq_len=128, 'data.datasets=[{path: "
                        + data.resolve("hh-harmless-pairs.jsonl.gz") + ", format: hh}]']",
                "rm.set=[train.max_steps=6, train.eval_every=6, 'data.datasets=[{path: "
                        + data.resolve("hh-harmless-pairs.jsonl.gz") + ", format: hh}]']",
                "ppo.set=[ppo.iterations=2, ppo.rollouts=8, generation.max_new_tokens=6, prompts.path="
                        + data.resolve("hh-harmless-pairs.jsonl.gz") + "]",
                "samples.prompts=2",
                "samples.max_new_tokens=6"));
        overrides.addAll(List.of(more));
        return PipelineConfig.loader().load(List.of(ROOT.resolve("configs/pipeline")), List.of("tiny"), overrides);
    }

    private JsonNode run(ComposedConfig composed) throws Exception {
        PipelineConfig config = composed.bind(PipelineConfig.class);
        Pipeline pipeline = new Pipeline(
                config,
                composed,
                ROOT.resolve("configs"),
                GATEWAY_JAR,
                StageOverrides.split(List.of()),
                new PrintWriter(new StringWriter()),
                QUIET);
        String table = pipeline.run();
        assertTrue(table.contains("PPO mean reward, first -> last iteration"), table);
        assertTrue(Files.isRegularFile(pipeline.dir().resolve("summary.md")));
        assertTrue(Files.isRegularFile(pipeline.dir().resolve("eval/eval/eval.md")));
        return new ObjectMapper()
                .readTree(pipeline.dir().resolve("summary.json").toFile());
    }

    private static List<String> stages(JsonNode summary) {
        List<String> names = new ArrayList<>();
        summary.get("stages").forEach(s -> names.add(s.get("name").asText()));
        return names;
    }

    @Test
    void everyStageRunsAndTheNextOnesCanStartFromTheUsersOwnModels() throws Exception {
        Path out = Files.createTempDirectory("pipeline");
        JsonNode first = run(compose(out, "exp=full"));
        assertEquals(List.of("tokenizer", "pretrain", "sft", "rm", "ppo", "eval"), stages(first));
        first.get("results")
                .fields()
                .forEachRemaining(e -> assertTrue(
                        e.getValue().isNumber() && Double.isFinite(e.getValue().asDouble()),
                        e.getKey() + ": " + e.getValue()));
        assertEquals(0.0, first.get("results").get("samples_kl_before").asDouble(), 1e-4, "SFT vs itself");
        Path ppoRun = Path.of(first.get("stages").get(4).get("run_dir").asText());
        assertTrue(Files.isRegularFile(ppoRun.resolve("export/rm/config.pbtxt")), "RM exported for serving");
        try (LanguageModel tuned = HfCheckpoint.load(ppoRun.resolve("checkpoints/last/policy"))) {
            assertTrue(tuned.parameterCount() > 0);
        }

        Path pretrained = best(first, 1);
        Path sft = best(first, 2);
        Path rm = best(first, 3);
        JsonNode own;
        try (JudgeGateway judge = JudgeGateway.start(sft, "judge", out.resolve("judge.log"))) {
            Path template = Files.writeString(out.resolve("judge.txt"), "{question} A: {answer_a} B: {answer_b} [[");
            own = run(compose(
                    out,
                    "exp=own-models",
                    "policy=" + sft,
                    "reward_model=" + rm,
                    "eval.set=[judges.llm.base_url=" + judge.baseUrl() + ", judges.llm.template=" + template
                            + ", judges.llm.max_tokens=4]"));
        }
        assertEquals(List.of("ppo", "eval"), stages(own));
        assertTrue(own.get("results").get("sft_eval_loss") == null);
        assertTrue(own.get("results").get("eval_llm_win_rate") != null, "the LLM judge's figures, when one ran");
        JsonNode llm = new ObjectMapper()
                .readTree(out.resolve("pipeline/own-models/eval/eval/eval.json").toFile())
                .get("comparisons")
                .get(0)
                .get("llm");
        assertEquals(
                2,
                llm.get("wins").asInt()
                        + llm.get("ties").asInt()
                        + llm.get("losses").asInt()
                        + llm.get("invalid").asInt(),
                "both held-out prompts judged: " + llm);
        JsonNode fromBase = run(compose(out, "exp=own-base", "base_model=" + pretrained, "reward_model=" + rm));
        assertEquals(List.of("sft", "ppo", "eval"), stages(fromBase));
        JsonNode fromPolicy = run(compose(out, "exp=own-policy", "policy=" + sft));
        assertEquals(List.of("rm", "ppo", "eval"), stages(fromPolicy));
    }

    /** The best checkpoint of the stage at {@code index} of a summary. */
    private static Path best(JsonNode summary, int index) {
        return Path.of(summary.get("stages").get(index).get("run_dir").asText()).resolve("checkpoints/best");
    }

    @Test
    void aBaseModelAndAPolicyTogetherAreRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> compose(Path.of("unused"), "base_model=a", "policy=b").bind(PipelineConfig.class));
        assertTrue(e.getMessage().contains("base_model"), e.getMessage());
    }
}
