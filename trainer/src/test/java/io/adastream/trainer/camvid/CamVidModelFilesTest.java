package io.adastream.trainer.camvid;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adastream.adapt.onnx.BatchNormInspector;
import io.adastream.models.metrics.SegmentationConfusion;
import io.adastream.models.spec.ModelSpec;
import io.adastream.trainer.onnx.OnnxExport;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The trained CamVid model in {@code build/camvid/} (made by scripts/train-camvid.sh; skipped where absent, or where
 * the CamVid data is absent): the service reads both specs, the folded file has no BatchNormalization node, both
 * files give the same logits on real held-out frames, and ONNX Runtime reproduces the held-out day mIoU recorded in
 * the spec.
 */
class CamVidModelFilesTest {
    @Test
    void trainedModelFilesAgreeWithTheirSpec() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        Path dir = root.resolve("build/camvid");
        Path keptFile = dir.resolve(CamVidModel.NAME + ".onnx");
        Path foldedFile = dir.resolve(CamVidModel.FOLDED_NAME + ".onnx");
        assumeTrue(Files.exists(keptFile) && Files.exists(foldedFile),
                "no trained CamVid model in " + dir + " (make it with scripts/train-camvid.sh): skipped");
        CamVidFolder folder = new CamVidFolder(root.getParent().resolve("shared/data/camvid"));
        assumeTrue(folder.exists(), "CamVid data absent: skipped");

        ModelSpec spec = ModelSpec.load(dir.resolve(CamVidModel.NAME + ".json"));
        ModelSpec foldedSpec = ModelSpec.load(dir.resolve(CamVidModel.FOLDED_NAME + ".json"));
        assertEquals(keptFile, spec.modelPath(dir.resolve(CamVidModel.NAME + ".json")));
        assertEquals(foldedFile, foldedSpec.modelPath(dir.resolve(CamVidModel.FOLDED_NAME + ".json")));
        assertEquals(CamVidClasses.NAMES, spec.classes());
        assertTrue(spec.input().areaResize());
        JsonNode json = new ObjectMapper().readTree(dir.resolve(CamVidModel.NAME + ".json").toFile());
        assertEquals(CamVidClasses.IGNORE_ID, json.get("ignoreId").asInt());
        assertEquals(CamVidClasses.IGNORE_ID + 1, json.get("palette").size());

        byte[] kept = Files.readAllBytes(keptFile);
        byte[] folded = Files.readAllBytes(foldedFile);
        int layers = BatchNormInspector.inspect(io.adastream.adapt.onnx.OnnxModel.parse(kept)).layers().size();
        assertTrue(layers > 0);
        assertEquals(layers, batchNormNodes(kept));
        assertEquals(0, batchNormNodes(folded));

        CamVidLoader loader = new CamVidLoader(spec.input().width(), spec.input().height(), spec.input().mean(),
                spec.input().std());
        CamVidSet day = loader.load(folder.frames(List.of("test"), Set.of(CamVidSequences.DAY_HELD_OUT)));
        OrtEnvironment ort = OrtEnvironment.getEnvironment();
        float[] diff = CamVidEvaluation.maxAbsDifference(ort, kept, folded, OnnxExport.INPUT_NAME,
                spec.output().name(), day.everyNth(10));
        System.out.printf("CamVid model: max |kept - folded| %.3g at max |logit| %.3g%n", diff[0], diff[1]);
        assertTrue(diff[0] <= 1e-5f * Math.max(1f, diff[1]), "folded differs by " + diff[0]);

        SegmentationConfusion confusion = CamVidEvaluation.measure(ort, kept, OnnxExport.INPUT_NAME,
                spec.output().name(), day);
        JsonNode recorded = json.get("sourceAccuracy").get("heldOutDay");
        assumeTrue(recorded.get("frames").asInt() == day.size(), "a --quick model scored fewer frames: skipped");
        System.out.printf("CamVid model: %s mIoU %.4f (spec %.4f)%n", CamVidSequences.DAY_HELD_OUT,
                confusion.meanIoU(), recorded.get("mIoU").asDouble());
        assertEquals(recorded.get("mIoU").asDouble(), confusion.meanIoU(), 2e-3);
    }

    private static long batchNormNodes(byte[] onnx) throws Exception {
        return ModelProto.parseFrom(onnx).getGraph().getNodeList().stream().map(NodeProto::getOpType)
                .filter("BatchNormalization"::equals).count();
    }
}
