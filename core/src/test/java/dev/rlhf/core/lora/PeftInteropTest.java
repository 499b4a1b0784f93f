package dev.rlhf.core.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.rlhf.core.checkpoint.SafetensorsWriter;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.model.NoGrad;
import dev.rlhf.core.model.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An adapter written as PEFT 0.19.1's {@code save_pretrained} writes one (every key of its {@code LoraConfig}, target
 * modules in set order, tensors under {@code get_peft_model_state_dict}'s names), built here without {@link
 * PeftAdapter}, loads and computes what W + (alpha / r) B A, merged by hand into a second copy of the base, computes.
 */
class PeftInteropTest {

    private static final LlamaConfig CONFIG = TestModels.tiny(40, 4, 2, false); // D 32, K*E 16
    private static final String PEFT_CONFIG = """
            {
              "alora_invocation_tokens": null,
              "alpha_pattern": {},
              "arrow_config": null,
              "auto_mapping": null,
              "base_model_name_or_path": "some/base",
              "bias": "none",
              "corda_config": null,
              "ensure_weight_tying": false,
              "eva_config": null,
              "exclude_modules": null,
              "fan_in_fan_out": false,
              "inference_mode": true,
              "init_lora_weights": true,
              "layer_replication": null,
              "layers_pattern": null,
              "layers_to_transform": null,
              "loftq_config": {},
              "lora_alpha": 4,
              "lora_bias": false,
              "lora_dropout": 0.05,
              "lora_ga_config": null,
              "megatron_config": null,
              "megatron_core": "megatron.core",
              "modules_to_save": null,
              "peft_type": "LORA",
              "peft_version": "0.19.1",
              "qalora_group_size": 16,
              "r": 2,
              "rank_pattern": {},
              "revision": null,
              "target_modules": ["v_proj", "q_proj"],
              "target_parameters": null,
              "task_type": "CAUSAL_LM",
              "trainable_token_indices": null,
              "use_bdlora": null,
              "use_dora": false,
              "use_qalora": false,
              "use_rslora": false
            }
            """;

    @TempDir
    Path tmp;

    @Test
    void loadsAnAdapterMadeByPeftAndComputesTheMergedModel() throws Exception {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Random random = new Random(11);
        for (int layer = 0; layer < 2; layer++) {
            String attn = "base_model.model.model.layers." + layer + ".self_attn.";
            add(tensors, shapes, attn + "q_proj.lora_A.weight", random, 2, 32);
            add(tensors, shapes, attn + "q_proj.lora_B.weight", random, 32, 2);
            add(tensors, shapes, attn + "v_proj.lora_A.weight", random, 2, 32);
            add(tensors, shapes, attn + "v_proj.lora_B.weight", random, 16, 2);
        }
        Path dir = tmp.resolve("peft");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("adapter_config.json"), PEFT_CONFIG);
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            tensors.forEach((name, values) -> arrays.put(name, m.create(values, new Shape(shapes.get(name)))));
            SafetensorsWriter.write(dir.resolve("adapter_model.safetensors"), arrays, Map.of());
        }
        try (LanguageModel adapted = LanguageModel.create(CONFIG, 1);
                LanguageModel merged = LanguageModel.create(CONFIG, 1);
                NDManager m = adapted.manager().newSubManager()) {
            LoraModel lora = PeftAdapter.load(adapted, dir);
            assertEquals(8, lora.adapterParameters().size());
            assertEquals("some/base", PeftAdapter.readConfig(dir).baseModelNameOrPath());
            mergeByHand(merged, tensors, shapes, 4f / 2);
            float[] expected = LoraFixtures.logits(merged, m);
            float[] actual = LoraFixtures.logits(adapted, m);
            float diff = dev.rlhf.core.model.TestModels.maxAbsDiff(expected, actual);
            assertTrue(diff < 1e-5, "adapter forward vs hand-merged weights: " + diff);
            try (LoraModel.Disabled off = lora.disabled()) {
                assertTrue(
                        TestModels.maxAbsDiff(expected, LoraFixtures.logits(adapted, m)) > 1e-3, "the adapter matters");
            }
        }
    }

    private static void add(
            Map<String, float[]> tensors, Map<String, long[]> shapes, String name, Random random, int rows, int cols) {
        float[] values = new float[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * 0.2);
        }
        tensors.put(name, values);
        shapes.put(name, new long[] {rows, cols});
    }

    /** W += s B A for every adapted module, from the tensors' own names: PEFT's prefix and suffixes stripped. */
    private static void mergeByHand(
            LanguageModel lm, Map<String, float[]> tensors, Map<String, long[]> shapes, float scale) {
        Map<String, Parameter> weights = lm.block().hfParameters();
        try (NoGrad noGrad = NoGrad.open();
                NDManager m = lm.manager().newSubManager()) {
            tensors.keySet().stream().filter(n -> n.endsWith(".lora_A.weight")).forEach(aName -> {
                String module =
                        aName.substring("base_model.model.".length(), aName.length() - ".lora_A.weight".length());
                String bName = aName.replace(".lora_A.", ".lora_B.");
                NDArray a = m.create(tensors.get(aName), new Shape(shapes.get(aName)));
                NDArray b = m.create(tensors.get(bName), new Shape(shapes.get(bName)));
                NDArray w = weights.get(module + ".weight").getArray();
                w.set(new NDIndex("..."), w.add(b.matMul(a).mul(scale)));
            });
        }
    }
}
