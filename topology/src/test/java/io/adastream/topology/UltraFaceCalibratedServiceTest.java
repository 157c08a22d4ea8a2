package io.adastream.topology;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.databind.JsonNode;
import io.adastream.adapt.calibrate.CalibrationOptions;
import io.adastream.adapt.calibrate.CalibrationResult;
import io.adastream.adapt.calibrate.Calibrator;
import io.adastream.adapt.inference.AdaptiveRunner;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.session.Workspace;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.FrameOutcome;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.task.ImageFolderFrames;
import io.adastream.models.task.ImagePreprocessor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service serving UltraFace RFB-320 with BatchNorm folded (the {@code _simplified} file) after calibration on 32
 * COCO frames. That file's {@code boxes} are raw offsets to the priors, which the {@code ssd} decoder does not take,
 * so the test appends the authors' prior decoding to the calibrated graph as ONNX nodes (keeping the raw offsets as
 * output {@code locations}); the published faces must equal a decode by hand of the adaptive graph's raw offsets.
 */
class UltraFaceCalibratedServiceTest {

    static final String[] FILES = {"000000002299.jpg", "000000005001.jpg", "000000006771.jpg"};
    static final UltraFaceServiceTest.Placement[] PLACEMENTS = {   // letterbox into 320x240, as in UltraFaceServiceTest
            new UltraFaceServiceTest.Placement(320 / 500.0, 193 / 302.0, 0, 23),
            new UltraFaceServiceTest.Placement(320 / 640.0, 240 / 480.0, 0, 0),
            new UltraFaceServiceTest.Placement(320 / 640.0, 214 / 427.0, 0, 13)};

    @TempDir
    static Path dir;

    static ModelSpec spec;
    static float[] priors;

    @BeforeAll
    static void calibrateOnce() throws Exception {
        Path folded = SharedData.require("ultraface/version-RFB-320_simplified.onnx");
        Path coco = SharedData.require("coco-val128/images/val2017/" + FILES[0]).getParent();
        Path model = dir.resolve("ultraface-calibrated.onnx");
        Path specFile = dir.resolve("ultraface.json");
        Files.writeString(specFile, """
                {"name": "ultraface-rfb-320-calibrated", "task": "detection", "model": "%s",
                 "input": {"name": "input", "width": 320, "height": 240, "resize": "letterbox", "channels": "RGB",
                           "normalize": "signed-127"},
                 "classes": ["background", "face"],
                 "output": {"decoder": "ssd", "boxes": "boxes", "scores": "scores",
                            "boxForm": "corners", "boxUnits": "normalized"},
                 "detection": {"scoreThreshold": %s, "iouThreshold": %s, "maxDetections": %d}}
                """.formatted(model.toString().replace("\\", "/"), UltraFaceServiceTest.SCORE, UltraFaceServiceTest.IOU,
                UltraFaceServiceTest.MAX));
        spec = ModelSpec.load(specFile);
        CalibrationResult result = Calibrator.calibrate(OnnxModel.load(folded),
                ImageFolderFrames.open(coco, spec.input(), 0, Calibrator.MIN_FRAMES),
                CalibrationOptions.defaults().withThreads(2));
        priors = priors(320, 240);
        Files.write(model, withPriorDecoding(result.model(), priors).toByteArray());
        System.out.printf(Locale.ROOT, "UltraFace RFB-320 folded, calibrated on %d COCO frames: %d BatchNorm layers inserted%n",
                Calibrator.MIN_FRAMES, result.inserted().size());
    }

    @Test
    void calibratedFoldedUltraFacePublishesTheDecodeOfTheAdaptiveOutputsInFramePixels() throws Exception {
        List<byte[]> jpegs = new ArrayList<>();
        for (String f : FILES) {
            jpegs.add(Files.readAllBytes(SharedData.require("coco-val128/images/val2017/" + f)));
        }
        try (DetectorServiceHarness service = new DetectorServiceHarness(spec,
                Files.readAllBytes(spec.modelPath(dir.resolve("ultraface.json"))), "adabn", dir.resolve("state"))) {
            List<JsonNode> published = service.send("cam-1", jpegs);
            ImagePreprocessor pre = ImagePreprocessor.forInput(spec.input());
            int faces = 0;
            double moved = 0;
            int movedLayers = 0;
            try (AdaptiveRunner runner = service.runtime.newRunner()) {
                Workspace ws = runner.workspace(1);
                DomainState fresh = runner.adapter().newDomain(service.runtime.defaultPolicy());
                DomainState[] state = {runner.adapter().newDomain(service.runtime.defaultPolicy())};
                FrameOutcome[] outcome = new FrameOutcome[1];
                for (int i = 0; i < FILES.length; i++) {
                    BufferedImage image = DetectorServiceHarness.decoder().decode(jpegs.get(i));
                    pre.preprocess(image, ws.input("input"), 0);
                    runner.run(ws, state, outcome);
                    JsonNode p = published.get(i);
                    assertEquals(outcome[0].name().toLowerCase(Locale.ROOT), p.get("adaptation").get("outcome").asText(), FILES[i]);
                    assertEquals(i + 1, p.get("adaptation").get("frames").asInt());
                    float[] corners = cornersFromLocations(UltraFaceServiceTest.copy(ws.output("locations")), priors);
                    List<UltraFaceServiceTest.Face> expected = UltraFaceServiceTest.decodeByHand(
                            UltraFaceServiceTest.copy(ws.output("scores")), corners, PLACEMENTS[i],
                            image.getWidth(), image.getHeight());
                    assertEquals(image.getWidth(), p.get("result").get("width").asInt());
                    UltraFaceServiceTest.assertFaces(FILES[i], expected, p.get("result"));
                    faces += expected.size();
                }
                for (int l = 0; l < fresh.layers(); l++) {
                    double layer = 0;
                    for (int c = 0; c < fresh.channels(l); c++) {
                        layer = Math.max(layer, Math.abs(state[0].mean(l, c) - fresh.mean(l, c))
                                / Math.sqrt(fresh.var(l, c) + 1e-5));
                    }
                    moved = Math.max(moved, layer);
                    movedLayers += layer > 1e-3 ? 1 : 0;
                }
                assertEquals(FILES.length, state[0].frameCount());
            }
            System.out.printf(Locale.ROOT, "UltraFace RFB-320 folded + calibrated, adabn, 3 letterboxed frames: %d faces,"
                    + " all as decoded by hand from the raw offsets; %d layers' means moved (largest %.3f source sd)%n",
                    faces, movedLayers, moved);
            assertTrue(faces >= 3, "the frames show faces: " + faces);
            assertTrue(movedLayers >= 1 && moved > 0.01, "adaptation moved the statistics: largest mean shift " + moved);
        }
    }

    /** UltraFace's priors at 320x240, centre form (cx, cy, w, h), in the authors' order (generate_priors). */
    static float[] priors(int width, int height) {
        int[] strides = {8, 16, 32, 64};
        int[][] minBoxes = {{10, 16, 24}, {32, 48}, {64, 96}, {128, 192, 256}};
        List<Float> out = new ArrayList<>();
        for (int k = 0; k < strides.length; k++) {
            int fw = (int) Math.ceil((double) width / strides[k]);   // the exports divide by the feature-map size
            int fh = (int) Math.ceil((double) height / strides[k]);
            for (int j = 0; j < fh; j++) {
                for (int i = 0; i < fw; i++) {
                    for (int m : minBoxes[k]) {
                        out.add(unit((i + 0.5) / fw));
                        out.add(unit((j + 0.5) / fh));
                        out.add(unit((double) m / width));
                        out.add(unit((double) m / height));
                    }
                }
            }
        }
        float[] flat = new float[out.size()];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = out.get(i);
        }
        return flat;
    }

    private static float unit(double v) {
        return (float) Math.min(1, Math.max(0, v));
    }

    /** The authors' decoding of raw offsets (centre variance 0.1, size variance 0.2) into normalised corners. */
    static float[] cornersFromLocations(float[] loc, float[] p) {
        assertEquals(p.length, loc.length, "anchors");
        float[] out = new float[loc.length];
        for (int a = 0; a < loc.length; a += 4) {
            double cx = loc[a] * 0.1 * p[a + 2] + p[a];
            double cy = loc[a + 1] * 0.1 * p[a + 3] + p[a + 1];
            double w = Math.exp(loc[a + 2] * 0.2) * p[a + 2];
            double h = Math.exp(loc[a + 3] * 0.2) * p[a + 3];
            out[a] = (float) (cx - w / 2);
            out[a + 1] = (float) (cy - h / 2);
            out[a + 2] = (float) (cx + w / 2);
            out[a + 3] = (float) (cy + h / 2);
        }
        return out;
    }

    /**
     * The model with its raw {@code boxes} renamed {@code locations} and a new {@code boxes} computed from them as the
     * authors' non-simplified export does: centre = loc * 0.1 * prior size + prior centre, half size = exp(loc * 0.2)
     * * prior size / 2, arranged into corners with two 4x4 matrix products (only Mul, Add, Exp and MatMul, any opset).
     */
    static ModelProto withPriorDecoding(ModelProto model, float[] p) {
        int anchors = p.length / 4;
        float[] centreScale = new float[p.length];
        float[] centreOffset = new float[p.length];
        float[] sizeScale = new float[p.length];
        float[] halfSize = new float[p.length];
        for (int a = 0; a < p.length; a += 4) {
            centreScale[a] = 0.1f * p[a + 2];
            centreScale[a + 1] = 0.1f * p[a + 3];
            centreOffset[a] = p[a];
            centreOffset[a + 1] = p[a + 1];
            sizeScale[a + 2] = 0.2f;
            sizeScale[a + 3] = 0.2f;
            halfSize[a + 2] = p[a + 2] / 2;
            halfSize[a + 3] = p[a + 3] / 2;
        }
        // [cx, cy, 0, 0] -> [cx, cy, cx, cy]; [0, 0, hw, hh] -> [-hw, -hh, hw, hh]
        float[] toCorners = {1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
        float[] halfToCorners = {0, 0, 0, 0, 0, 0, 0, 0, -1, 0, 1, 0, 0, -1, 0, 1};
        GraphProto.Builder g = model.getGraph().toBuilder();
        for (int n = 0; n < g.getNodeCount(); n++) {
            NodeProto node = g.getNode(n);
            for (int o = 0; o < node.getOutputCount(); o++) {
                if (node.getOutput(o).equals("boxes")) {
                    g.setNode(n, node.toBuilder().setOutput(o, "locations"));
                }
            }
        }
        for (int o = 0; o < g.getOutputCount(); o++) {
            if (g.getOutput(o).getName().equals("boxes")) {
                g.setOutput(o, g.getOutput(o).toBuilder().setName("locations"));
            }
        }
        long[] anchorShape = {1, anchors, 4};
        g.addInitializer(tensor("prior_centre_scale", centreScale, anchorShape));
        g.addInitializer(tensor("prior_centre_offset", centreOffset, anchorShape));
        g.addInitializer(tensor("prior_size_scale", sizeScale, anchorShape));
        g.addInitializer(tensor("prior_half_size", halfSize, anchorShape));
        g.addInitializer(tensor("to_corners", toCorners, new long[]{4, 4}));
        g.addInitializer(tensor("half_to_corners", halfToCorners, new long[]{4, 4}));
        g.addNode(node("Mul", "locations", "prior_centre_scale", "prior_scaled"));
        g.addNode(node("Add", "prior_scaled", "prior_centre_offset", "prior_centre"));
        g.addNode(node("Mul", "locations", "prior_size_scale", "prior_log_size"));
        g.addNode(node("Exp", "prior_log_size", null, "prior_size_factor"));
        g.addNode(node("Mul", "prior_size_factor", "prior_half_size", "prior_half"));
        g.addNode(node("MatMul", "prior_centre", "to_corners", "prior_centre_corners"));
        g.addNode(node("MatMul", "prior_half", "half_to_corners", "prior_half_corners"));
        g.addNode(node("Add", "prior_centre_corners", "prior_half_corners", "boxes"));
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : anchorShape) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        g.addOutput(ValueInfoProto.newBuilder().setName("boxes").setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))));
        return model.toBuilder().setGraph(g).build();
    }

    private static NodeProto node(String op, String a, String b, String out) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(out).addInput(a).addOutput(out);
        if (b != null) {
            n.addInput(b);
        }
        return n.build();
    }

    private static TensorProto tensor(String name, float[] values, long[] dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
        for (long d : dims) {
            t.addDims(d);
        }
        for (float v : values) {
            t.addFloatData(v);
        }
        return t.build();
    }
}
