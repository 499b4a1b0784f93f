package dev.rlhf.core.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OrtException;
import dev.rlhf.core.export.onnx.ModelProto;
import dev.rlhf.core.export.onnx.StringStringEntryProto;
import dev.rlhf.core.export.onnx.TensorProto;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.TestModels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weights written as ONNX external data ({@code model.onnx.data}) or as float16 give ONNX Runtime the same model: the
 * same log-probs and rewards as the single-file float32 export, exactly for external data, within
 * {@link #F16_TOLERANCE} for float16.
 */
class ExternalDataExportTest {

    private static final int VOCAB = 61;
    /** max |f16 - f32| on log-probs of a tiny random model; float16 keeps 11 significant bits. */
    private static final float F16_TOLERANCE = 2e-2f;

    @TempDir
    Path repository;

    @Test
    void externalDataGivesTheSameLogProbsAsOneFile() throws OrtException, IOException {
        try (LanguageModel lm = RandomWeights.model(TestModels.tiny(VOCAB, 4, 2, false), 23)) {
            ExportOptions options = ExportOptions.logProbs(ServingRole.REF);
            ExportedModel single = OnnxExporter.export(repository, "single", lm.block(), options);
            ExportedModel external =
                    OnnxExporter.export(repository, "external", lm.block(), options.withAlwaysExternal(true));
            assertNull(single.dataFile());
            assertFalse(Files.exists(single.file().resolveSibling(OnnxExporter.DATA_FILE_NAME)));
            assertEquals(external.file().resolveSibling(OnnxExporter.DATA_FILE_NAME), external.dataFile());

            long modelBytes = Files.size(external.file());
            long dataBytes = Files.size(external.dataFile());
            long weightBytes = OnnxExporter.storedWeightBytes(lm.block(), options);
            System.out.printf(
                    "external: model.onnx %d B, model.onnx.data %d B; single file %d B; weights %d B%n",
                    modelBytes, dataBytes, Files.size(single.file()), weightBytes);
            assertTrue(modelBytes < 64 * 1024, "model.onnx keeps only the graph: " + modelBytes);
            assertTrue(dataBytes >= weightBytes, "the side file holds the weights: " + dataBytes);
            checkExternalTensors(external.file(), external.dataFile());

            long[][] mask = Batches.mixedMask();
            long[][] ids = Batches.idsFor(mask, VOCAB, 4);
            try (OrtRunner a = new OrtRunner(single.file());
                    OrtRunner b = new OrtRunner(external.file())) {
                float[][] expected = (float[][]) a.run(ids, mask);
                float[][] actual = (float[][]) b.run(ids, mask);
                float diff = maxDiff(expected, actual, mask);
                System.out.printf("external data: max |external - single| log-prob %.3g%n", diff);
                assertTrue(diff <= 1e-6f, "log-probs differ by " + diff);
            }
        }
    }

    @Test
    void externalDataGivesTheSameRewardsAsOneFile() throws OrtException {
        try (LanguageModel lm = RandomWeights.model(TestModels.qwen2(VOCAB), 29);
                NDManager m = lm.manager().newSubManager()) {
            ExportOptions options = ExportOptions.rewardModel(
                    m.randomNormal(new ai.djl.ndarray.types.Shape(1, lm.config().hiddenSize())));
            ExportedModel single = OnnxExporter.export(repository, "rm", lm.block(), options);
            ExportedModel external =
                    OnnxExporter.export(repository, "rm_ext", lm.block(), options.withAlwaysExternal(true));
            long[][] mask = Batches.mixedMask();
            long[][] ids = Batches.idsFor(mask, VOCAB, 6);
            try (OrtRunner a = new OrtRunner(single.file());
                    OrtRunner b = new OrtRunner(external.file())) {
                float diff = TestModels.maxAbsDiff((float[]) a.run(ids, mask), (float[]) b.run(ids, mask));
                System.out.printf("external data: max |external - single| reward %.3g%n", diff);
                assertTrue(diff <= 1e-6f, "rewards differ by " + diff);
            }
        }
    }

    @Test
    void f16WeightsHalveTheFilesAndStayCloseToF32() throws OrtException, IOException {
        try (LanguageModel lm = RandomWeights.model(TestModels.qwen2(VOCAB), 31)) {
            ExportOptions options = ExportOptions.logProbs(ServingRole.REF);
            ExportedModel f32 = OnnxExporter.export(repository, "f32", lm.block(), options);
            ExportedModel f16 =
                    OnnxExporter.export(repository, "f16", lm.block(), options.withWeightType(WeightType.F16));
            ExportedModel f16External = OnnxExporter.export(
                    repository,
                    "f16_ext",
                    lm.block(),
                    options.withWeightType(WeightType.F16).withAlwaysExternal(true));
            double ratio = (double) Files.size(f16.file()) / Files.size(f32.file());
            System.out.printf(
                    "f16: model.onnx %d B vs f32 %d B (ratio %.3f)%n",
                    Files.size(f16.file()), Files.size(f32.file()), ratio);
            assertTrue(ratio < 0.6, "f16 file is " + ratio + " of f32");
            assertTrue(read(f16.file()).getGraph().getInitializerList().stream()
                    .anyMatch(t -> t.getDataType() == TensorProto.DataType.FLOAT16_VALUE));

            long[][] mask = Batches.mixedMask();
            long[][] ids = Batches.idsFor(mask, VOCAB, 7);
            try (OrtRunner a = new OrtRunner(f32.file());
                    OrtRunner b = new OrtRunner(f16.file());
                    OrtRunner c = new OrtRunner(f16External.file())) {
                float[][] expected = (float[][]) a.run(ids, mask);
                float[][] half = (float[][]) b.run(ids, mask);
                float diff = maxDiff(expected, half, mask);
                float externalDiff = maxDiff(half, (float[][]) c.run(ids, mask), mask);
                System.out.printf(
                        "f16: max |f16 - f32| log-prob %.3g; f16 external vs inline %.3g%n", diff, externalDiff);
                assertTrue(diff < F16_TOLERANCE, "f16 log-probs differ by " + diff);
                assertTrue(externalDiff <= 1e-6f, "f16 external differs by " + externalDiff);
            }
        }
    }

    @Test
    void aSingleFileExportRemovesAnEarlierSideFile() {
        try (LanguageModel lm = RandomWeights.model(TestModels.qwen2(VOCAB), 37)) {
            ExportOptions options = ExportOptions.logProbs(ServingRole.REF);
            ExportedModel external =
                    OnnxExporter.export(repository, "ref", lm.block(), options.withAlwaysExternal(true));
            assertTrue(Files.isRegularFile(external.dataFile()));
            ExportedModel single = OnnxExporter.export(repository, "ref", lm.block(), options);
            assertNull(single.dataFile());
            assertFalse(Files.exists(external.dataFile()));
        }
    }

    /** Every tensor of 1 KiB or more lies in the side file, 4096-aligned, inside it, with no inline bytes. */
    private static void checkExternalTensors(Path model, Path data) throws IOException {
        List<TensorProto> tensors = read(model).getGraph().getInitializerList();
        long size = Files.size(data);
        int external = 0;
        for (TensorProto t : tensors) {
            if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) {
                assertTrue(t.getRawData().size() < ExternalDataWriter.MIN_BYTES, t.getName() + " stayed inline");
                continue;
            }
            external++;
            Map<String, String> entries = t.getExternalDataList().stream()
                    .collect(Collectors.toMap(StringStringEntryProto::getKey, StringStringEntryProto::getValue));
            assertEquals(OnnxExporter.DATA_FILE_NAME, entries.get("location"), t.getName());
            long offset = Long.parseLong(entries.get("offset"));
            long length = Long.parseLong(entries.get("length"));
            assertEquals(0, offset % ExternalDataWriter.ALIGNMENT, t.getName() + " offset " + offset);
            assertTrue(offset + length <= size, t.getName() + " ends past the side file");
            assertTrue(t.getRawData().isEmpty(), t.getName() + " also has inline bytes");
        }
        assertTrue(external > 0, "no tensor is external");
    }

    private static float maxDiff(float[][] expected, float[][] actual, long[][] mask) {
        float max = 0;
        for (int b = 0; b < expected.length; b++) {
            for (int i = 0; i < expected[b].length; i++) {
                if (Batches.comparable(mask, b, i)) {
                    max = Math.max(max, Math.abs(expected[b][i] - actual[b][i]));
                }
            }
        }
        return max;
    }

    private static ModelProto read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return ModelProto.parseFrom(in);
        }
    }
}
