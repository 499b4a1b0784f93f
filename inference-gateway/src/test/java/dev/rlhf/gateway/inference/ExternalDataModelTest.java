package dev.rlhf.gateway.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.export.ExportOptions;
import dev.rlhf.core.export.ExportedModel;
import dev.rlhf.core.export.ModelRepository;
import dev.rlhf.core.export.ServingRole;
import dev.rlhf.core.export.TritonConfigs;
import dev.rlhf.core.export.WeightType;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.gateway.TestRepository;
import dev.rlhf.gateway.TestRequests;
import dev.rlhf.proto.inference.ModelInferResponse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway serves a model whose weights are ONNX external data ({@code model.onnx.data}) exactly as the single-file
 * export, and refuses one whose side file is missing with a message naming that file.
 */
// A Quarkus test with the other tests' resources only to share their application's class loader: PyTorch's natives
// load into one class loader per JVM, and these tests build DJL models. The application itself is not called.
@QuarkusTest
@WithTestResource(TestRepository.class)
class ExternalDataModelTest {

    private static final LocalModel.Options OPTIONS =
            new LocalModel.Options(false, OptionalLong.empty(), OptionalInt.of(1), false);
    private static final TritonConfigs.Serving SERVING = new TritonConfigs.Serving(4, false, 1, 0);

    @TempDir
    Path repo;

    @Test
    void servesExternalDataLikeTheSingleFile() throws Exception {
        ExportOptions options = ExportOptions.logProbs(ServingRole.REF);
        try (LanguageModel lm = LanguageModel.create(TestRepository.tiny(97), 11)) {
            ModelRepository.write(repo, "single", lm.block(), options, SERVING, null);
            ExportedModel external = ModelRepository.write(
                    repo, "external", lm.block(), options.withAlwaysExternal(true), SERVING, null);
            ModelRepository.write(
                    repo,
                    "external16",
                    lm.block(),
                    options.withAlwaysExternal(true).withWeightType(WeightType.F16),
                    SERVING,
                    null);
            assertTrue(Files.isRegularFile(external.dataFile()));
        }
        long[][] ids = {{5, 9, 17, 3, 60, 2}, {8, 1, 44, 90, 7, 12}};
        try (LocalModel single = LocalModel.load(ModelFiles.of(repo.resolve("single")), OPTIONS);
                LocalModel external = LocalModel.load(ModelFiles.of(repo.resolve("external")), OPTIONS);
                LocalModel half = LocalModel.load(ModelFiles.of(repo.resolve("external16")), OPTIONS)) {
            ModelInferResponse expected = infer(single, ids);
            assertEquals(
                    expected,
                    infer(external, ids).toBuilder().setModelName("single").build());
            assertEquals(
                    expected.getOutputs(0).getShapeList(),
                    infer(half, ids).getOutputs(0).getShapeList());
        }
    }

    @Test
    void aMissingSideFileFailsTheLoadNamingIt() {
        try (LanguageModel lm = LanguageModel.create(TestRepository.tiny(97), 13)) {
            ExportedModel exported = ModelRepository.write(
                    repo,
                    "ref",
                    lm.block(),
                    ExportOptions.logProbs(ServingRole.REF).withAlwaysExternal(true),
                    SERVING,
                    null);
            assertTrue(exported.dataFile().toFile().delete());
        }
        ModelLoadException e = assertThrows(
                ModelLoadException.class, () -> LocalModel.load(ModelFiles.of(repo.resolve("ref")), OPTIONS));
        System.out.println("missing side file: " + e.getMessage());
        assertTrue(e.getMessage().contains("model.onnx.data"), e.getMessage());
        assertTrue(e.getMessage().startsWith("missing external data file"), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }

    private static ModelInferResponse infer(LocalModel model, long[][] ids) throws Exception {
        return model.infer(TestRequests.typed(model.name(), ids, TestRequests.ones(ids)))
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }
}
