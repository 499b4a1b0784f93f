package dev.rlhf.core.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.rlhf.core.export.onnx.ModelProto;
import dev.rlhf.core.export.onnx.TensorProto;
import dev.rlhf.core.export.onnx.ValueInfoProto;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.TestModels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file layout, declared versions and signature of an export. */
class OnnxExporterTest {

    @TempDir
    Path repository;

    @Test
    void writesTheRepositoryLayoutWithOpset17Ir8AndDynamicAxes() throws IOException {
        try (LanguageModel lm = LanguageModel.create(TestModels.qwen2(40), 3)) {
            ExportedModel exported =
                    OnnxExporter.export(repository, "ref", lm.block(), ExportOptions.logProbs(ServingRole.REF));
            assertEquals(repository.resolve("ref/1/model.onnx"), exported.file());
            ModelProto model = read(exported.file());
            assertEquals(8, model.getIrVersion());
            assertEquals(1, model.getOpsetImportCount());
            assertEquals("", model.getOpsetImport(0).getDomain());
            assertEquals(17, model.getOpsetImport(0).getVersion());

            List<ValueInfoProto> inputs = model.getGraph().getInputList();
            assertEquals(
                    List.of("input_ids", "attention_mask"),
                    inputs.stream().map(ValueInfoProto::getName).toList());
            for (ValueInfoProto input : inputs) {
                assertEquals(
                        TensorProto.DataType.INT64_VALUE,
                        input.getType().getTensorType().getElemType());
                assertEquals(List.of("batch", "sequence"), dimParams(input));
            }
            ValueInfoProto output = model.getGraph().getOutput(0);
            assertEquals("logprobs", output.getName());
            assertEquals(
                    TensorProto.DataType.FLOAT_VALUE,
                    output.getType().getTensorType().getElemType());
            assertEquals(List.of("batch", "sequence_minus_1"), dimParams(output));

            assertEquals(
                    List.of(new TensorSpec(
                            "logprobs", ElementType.FP32, List.of(-1L, -1L), List.of("batch", "sequence_minus_1"))),
                    exported.outputs());
            assertEquals(List.of(-1L, -1L), exported.inputs().get(0).dims());
            assertTrue(
                    model.getGraph().getInitializerList().stream()
                            .noneMatch(t -> t.getName().startsWith("lm_head")),
                    "a tied head reuses the embedding");
        }
    }

    @Test
    void rewardModelSignatureAndOverwriteLeaveNoTemporaryFiles() throws IOException {
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(40, 4, 2, false), 4);
                NDManager m = lm.manager().newSubManager()) {
            ExportOptions options = ExportOptions.rewardModel(m.randomNormal(new Shape(1, 32)))
                    .withIdsType(ElementType.INT32)
                    .withVersion(3);
            ExportedModel first = OnnxExporter.export(repository, "rm", lm.block(), options);
            ExportedModel second = OnnxExporter.export(repository, "rm", lm.block(), options);
            assertEquals(first.file(), second.file());
            assertEquals(repository.resolve("rm/3/model.onnx"), second.file());
            assertEquals(List.of(TensorSpec.dynamic("rewards", ElementType.FP32, "batch")), second.outputs());
            assertEquals(ElementType.INT32, second.inputs().get(1).type());
            try (Stream<Path> files = Files.list(second.file().getParent())) {
                assertEquals(
                        List.of("model.onnx"),
                        files.map(p -> p.getFileName().toString()).toList());
            }
            ModelProto model = read(second.file());
            assertFalse(
                    model.getGraph().getInitializerList().stream()
                            .anyMatch(t -> t.getName().startsWith("lm_head")),
                    "the reward graph needs no LM head");
        }
    }

    @Test
    void refusesInconsistentOptions() {
        assertThrows(IllegalArgumentException.class, () -> ExportOptions.logProbs(ServingRole.RM));
        assertThrows(
                IllegalArgumentException.class,
                () -> ExportOptions.logProbs(ServingRole.REF).withIdsType(ElementType.FP32));
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(40, 4, 2, false), 5);
                NDManager m = lm.manager().newSubManager()) {
            ExportOptions wrongWidth = ExportOptions.rewardModel(m.zeros(new Shape(1, 16)));
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> OnnxExporter.export(repository, "rm", lm.block(), wrongWidth));
            assertTrue(e.getMessage().contains("hidden_size is 32"), e.getMessage());
            assertThrows(
                    IllegalArgumentException.class,
                    () -> OnnxExporter.export(
                            repository, "../rm", lm.block(), ExportOptions.logProbs(ServingRole.REF)));
        }
    }

    private static ModelProto read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return ModelProto.parseFrom(in);
        }
    }

    private static List<String> dimParams(ValueInfoProto value) {
        return value.getType().getTensorType().getShape().getDimList().stream()
                .map(d -> d.getDimParam())
                .toList();
    }
}
