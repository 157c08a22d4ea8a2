package io.adastream.topology;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.fasterxml.jackson.databind.JsonNode;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.testing.PlainOrt;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The independent side of the mask checks: the original model with a domain's statistics written into its
 * BatchNormalization initializers, run by plain ONNX Runtime on a PNG decoded by ImageIO (inputs normalized by 0.5 and
 * 0.25 as the test spec says), and the service's per-class COCO run lengths decoded by hand.
 */
final class ReferenceSegmentation {

    private ReferenceSegmentation() {
    }

    /** The class of every pixel (row-major) that {@code model}, normalizing with {@code state}'s statistics, predicts. */
    static int[] classes(ModelProto model, DomainState state, byte[] png) throws Exception {
        return classes(model, fed(state, true), fed(state, false), png);
    }

    /** The class of every pixel that {@code model}, normalizing layer l with {@code mean[l]} and {@code var[l]}, predicts. */
    static int[] classes(ModelProto model, float[][] mean, float[][] var, byte[] png) throws Exception {
        ModelProto baked = withStatistics(model, mean, var);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        int w = image.getWidth();
        int h = image.getHeight();
        float[] input = new float[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                for (int c = 0; c < 3; c++) {
                    int v = (rgb >> (16 - 8 * c)) & 0xFF;
                    input[c * w * h + y * w + x] = (v / 255f - 0.5f) / 0.25f;
                }
            }
        }
        String output = model.getGraph().getOutput(0).getName();
        float[] logits = PlainOrt.run(baked, model.getGraph().getInput(0).getName(), input, new long[]{1, 3, h, w}, output);
        int classes = logits.length / (w * h);
        int[] out = new int[w * h];
        for (int p = 0; p < w * h; p++) {
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (logits[k * w * h + p] > logits[best * w * h + p]) {
                    best = k;
                }
            }
            out[p] = best;
        }
        return out;
    }

    /** The model with the l-th BatchNormalization node (graph order) normalizing by the state's fed statistics of layer l. */
    static ModelProto withStatistics(ModelProto model, DomainState state) {
        return withStatistics(model, fed(state, true), fed(state, false));
    }

    private static float[][] fed(DomainState state, boolean mean) {
        float[][] out = new float[state.layers()][];
        for (int l = 0; l < out.length; l++) {
            out[l] = mean ? state.fedMean(l) : state.fedVar(l);
        }
        return out;
    }

    /** The model with the l-th BatchNormalization node (graph order) normalizing by {@code mean[l]}, {@code var[l]}. */
    static ModelProto withStatistics(ModelProto model, float[][] mean, float[][] var) {
        ModelProto.Builder b = model.toBuilder();
        GraphProto.Builder g = b.getGraphBuilder();
        int layer = 0;
        for (NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("BatchNormalization")) {
                replace(g, n.getInput(3), mean[layer]);
                replace(g, n.getInput(4), var[layer]);
                layer++;
            }
        }
        assertEquals(mean.length, layer, "BatchNormalization nodes of the model");
        return b.build();
    }

    private static void replace(GraphProto.Builder g, String name, float[] values) {
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            if (t.getName().equals(name)) {
                assertEquals(values.length, t.getDims(0), name);
                List<Float> data = new ArrayList<>(values.length);
                for (float v : values) {
                    data.add(v);
                }
                g.setInitializer(i, t.toBuilder().clearRawData().clearFloatData().addAllFloatData(data).build());
                return;
            }
        }
        throw new AssertionError("no initializer " + name);
    }

    /**
     * The class of every pixel (row-major) from a prediction's {@code rle} object (class name to COCO run lengths,
     * column-major, starting with a run of pixels outside the class; background, class 0, is the pixels of no
     * entry); fails if a pixel is in two classes or the runs do not cover the frame.
     */
    static int[] decodeMasks(JsonNode rle, JsonNode classNames, int w, int h) {
        List<String> names = new ArrayList<>();
        classNames.forEach(n -> names.add(n.asText()));
        int[] out = new int[w * h];
        Arrays.fill(out, -1);
        assertTrue(!rle.has(names.get(0)), "background is left out");
        for (Iterator<Map.Entry<String, JsonNode>> it = rle.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int cls = names.indexOf(e.getKey());
            assertTrue(cls >= 0, "unknown class " + e.getKey());
            int position = 0;
            boolean inside = false;
            for (JsonNode count : e.getValue().get("counts")) {
                for (int i = position; i < position + count.asInt(); i++) {
                    if (inside) {
                        int pixel = (i % h) * w + i / h;
                        assertEquals(-1, out[pixel], "pixel " + pixel + " in two classes");
                        out[pixel] = cls;
                    }
                }
                position += count.asInt();
                inside = !inside;
            }
            assertEquals(w * h, position, "the run lengths of " + e.getKey() + " cover the frame");
        }
        for (int p = 0; p < out.length; p++) {
            out[p] = Math.max(out[p], 0);
        }
        return out;
    }
}
