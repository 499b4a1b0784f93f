package dev.rlhf.rl.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.lora.LoraModel;
import dev.rlhf.core.lora.LoraSettings;
import dev.rlhf.core.lora.PeftAdapter;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.NoGrad;
import dev.rlhf.core.model.TestModels;
import dev.rlhf.core.ppo.PpoConfig;
import dev.rlhf.core.rollout.LocalScorer;
import dev.rlhf.rl.testing.TinyPpoFiles;
import dev.rlhf.rl.worker.AdapterPolicy;
import dev.rlhf.rl.worker.FullPolicy;
import dev.rlhf.rl.worker.WorkerPolicy;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One copy of a LoRA policy's base per JVM: the learner's policy and every worker's sample from the same weight
 * arrays, and a version the learner publishes gives the worker the learner's outputs. A full-weights policy is
 * loaded by each holder.
 */
@QuarkusTest
class PolicyWeightsTest {

    private static final long[][] IDS = {{5, 17, 230, 4, 99, 12}};

    @Test
    void aLoraPolicysLearnerAndWorkersShareOneBase() throws Exception {
        TinyPpoFiles files = TinyPpoFiles.write(Files.createTempDirectory("policy-weights"));
        PpoConfig config = files.bind(files.config(1, 4, "lora: {r: 4, alpha: 8}"));
        try (PolicyWeights weights = PolicyWeights.of(config)) {
            assertTrue(weights.shared());
            try (LanguageModel learner = weights.forLearner().start();
                    WorkerPolicy first = weights.forWorker();
                    WorkerPolicy second = weights.forWorker();
                    NDManager m = learner.manager().newSubManager()) {
                assertInstanceOf(AdapterPolicy.class, first);
                LoraModel trained = LoraModel.attach(learner, LoraSettings.of(4, 8), 1);
                try (NoGrad noGrad = NoGrad.open()) {
                    for (Map.Entry<String, Parameter> p :
                            trained.adapterParameters().entrySet()) {
                        NDArray a = p.getValue().getArray();
                        a.addi(m.randomNormal(0f, 0.1f, a.getShape(), DataType.FLOAT32));
                    }
                }
                Path version = Files.createTempDirectory("v1");
                PeftAdapter.save(trained, version, config.policy().path().toString());
                first.load(version);
                second.load(version);

                LanguageModel a = first.model().orElseThrow();
                LanguageModel b = second.model().orElseThrow();
                assertNotSame(learner, a);
                learner.block().hfParameters().forEach((name, p) -> {
                    assertSame(p.getArray(), a.block().hfParameters().get(name).getArray(), name);
                    assertSame(p.getArray(), b.block().hfParameters().get(name).getArray(), name);
                });
                float[] expected = logits(learner, m);
                assertArrayEquals(expected, logits(a, m), 1e-6f);
                assertArrayEquals(expected, logits(b, m), 1e-6f);
            }
        }
    }

    @Test
    void theSharedBaseOfAPolicyStartedFromAnSftAdapterIsTheSftModel() throws Exception {
        TinyPpoFiles files = TinyPpoFiles.write(Files.createTempDirectory("policy-weights"));
        Path sft = files.writeSftAdapter();
        PpoConfig config = files.bind(files.config(1, 4, "lora: {r: 4, alpha: 8}"), "policy.adapter=" + sft);
        float[] sftLogits;
        float[] baseLogits;
        float[] sftLogprobs;
        try (LanguageModel expected = HfCheckpoint.load(files.policy);
                NDManager m = expected.manager().newSubManager()) {
            baseLogits = logits(expected, m);
            PeftAdapter.load(expected, sft);
            sftLogits = logits(expected, m);
            sftLogprobs = new LocalScorer(expected, null)
                    .referenceLogprobs(List.of(IDS[0]))
                    .get(0);
        }
        assertTrue(TestModels.maxAbsDiff(baseLogits, sftLogits) > 1e-2, "the SFT adapter changes the model");
        try (PolicyWeights weights = PolicyWeights.of(config);
                LanguageModel learner = weights.forLearner().start();
                WorkerPolicy worker = weights.forWorker();
                NDManager m = learner.manager().newSubManager()) {
            assertArrayEquals(sftLogits, logits(learner, m), 1e-4f);
            assertArrayEquals(
                    sftLogprobs,
                    assertInstanceOf(AdapterPolicy.class, worker)
                            .withReference(null)
                            .referenceLogprobs(List.of(IDS[0]))
                            .get(0),
                    1e-4f,
                    "the workers' reference (adapters off) is the SFT model");
        }
    }

    @Test
    void aFullWeightsPolicyIsLoadedByEachHolder() throws Exception {
        TinyPpoFiles files = TinyPpoFiles.write(Files.createTempDirectory("policy-weights"));
        PpoConfig config = files.bind(files.config(1, 4));
        try (PolicyWeights weights = PolicyWeights.of(config);
                WorkerPolicy worker = weights.forWorker()) {
            assertFalse(weights.shared());
            assertInstanceOf(FullPolicy.class, worker);
        }
    }

    private static float[] logits(LanguageModel lm, NDManager m) {
        NDArray ids = m.create(IDS);
        return lm.logits(ids, m.ones(new Shape(1, IDS[0].length), DataType.INT64))
                .toFloatArray();
    }
}
