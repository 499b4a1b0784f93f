package dev.rlhf.cli;

import dev.rlhf.core.export.ElementType;
import dev.rlhf.core.export.ExportOptions;
import dev.rlhf.core.export.ExportedModel;
import dev.rlhf.core.export.ModelRepository;
import dev.rlhf.core.export.ServingRole;
import dev.rlhf.core.export.TritonConfigs;
import dev.rlhf.core.export.WeightType;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.RewardModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description =
                "Write a model into a Triton model repository: REPO/NAME/config.pbtxt, REPO/NAME/1/model.onnx "
                        + "and the tokenizer. Roles: rm (input_ids, attention_mask -> rewards [batch]), ref and policy "
                        + "(-> logprobs [batch, seq-1] of the given tokens). Weights over 1 GiB go to the external-data "
                        + "side file REPO/NAME/1/model.onnx.data. With --adapter, a LoRA adapter is merged into the weights first.")
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Model directory (HF layout; a reward model for rm).")
    Path model;

    @Mixin
    AdapterOption adapter; // merged into the weights before the export

    @Option(names = "--role", required = true, description = "rm, ref or policy.")
    String role;

    @Option(names = "--repo", required = true, description = "Model repository directory (created if missing).")
    Path repo;

    @Option(names = "--name", description = "Model name in the repository (default: the role).")
    String name;

    @Option(names = "--max-batch-size", defaultValue = "8", description = "Default ${DEFAULT-VALUE}.")
    int maxBatchSize;

    @Option(names = "--cpu", description = "instance_group KIND_CPU instead of KIND_GPU.")
    boolean cpu;

    @Option(names = "--instances", defaultValue = "1", description = "Model instances (default ${DEFAULT-VALUE}).")
    int instances;

    @Option(
            names = "--max-queue-delay-us",
            defaultValue = "1000",
            description = "Dynamic batching delay (default ${DEFAULT-VALUE}).")
    long maxQueueDelayMicros;

    @Option(names = "--ids-type", defaultValue = "int64", description = "int64 or int32 (default ${DEFAULT-VALUE}).")
    String idsType;

    @Option(
            names = "--dtype",
            defaultValue = "f32",
            description = "Stored weights: f32, or f16 (half the size, cast to float32 in the graph; for GPU serving). "
                    + "Default ${DEFAULT-VALUE}.")
    String dtype;

    @Option(
            names = "--external-data",
            description = "Write the weights to model.onnx.data beside model.onnx whatever their size "
                    + "(always done over 1 GiB).")
    boolean externalData;

    @Override
    public Integer call() {
        ServingRole servingRole = ServingRole.parse(role);
        TritonConfigs.Serving serving = new TritonConfigs.Serving(maxBatchSize, !cpu, instances, maxQueueDelayMicros);
        String modelName = name == null ? servingRole.id() : name;
        ElementType ids = ElementType.parseIds(idsType);
        WeightType weights = WeightType.parse(dtype);
        Path tokenizer = Files.isRegularFile(model.resolve("tokenizer.json")) ? model : null;
        ExportedModel exported;
        if (servingRole == ServingRole.RM) {
            try (RewardModel rm = adapter.rewardModel(model, true)) {
                ExportOptions options = ExportOptions.rewardModel(
                                rm.head().weight().getArray())
                        .withIdsType(ids)
                        .withWeightType(weights)
                        .withAlwaysExternal(externalData);
                exported = ModelRepository.write(
                        repo, modelName, rm.languageModel().block(), options, serving, tokenizer);
            }
        } else {
            try (LanguageModel lm = adapter.languageModel(model, true)) {
                ExportOptions options = ExportOptions.logProbs(servingRole)
                        .withIdsType(ids)
                        .withWeightType(weights)
                        .withAlwaysExternal(externalData);
                exported = ModelRepository.write(repo, modelName, lm.block(), options, serving, tokenizer);
            }
        }
        spec.commandLine().getOut().printf("wrote %s (%s) to %s%n", modelName, servingRole.id(), exported.file());
        if (exported.dataFile() != null) {
            spec.commandLine().getOut().printf("weights in %s%n", exported.dataFile());
        }
        return 0;
    }
}
