package io.adastream.adapt.testing;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.BatchNormLayer;
import io.adastream.adapt.session.AdaptiveSession;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.session.Workspace;

import java.nio.FloatBuffer;

/**
 * Small hand-built ONNX models for the refusal tests: one BatchNormalization to corrupt in one place at a time, long
 * BatchNormalization chains, and a helper that runs an adaptive model at blend weight 0 with the source statistics.
 */
public final class HostileModels {

    private HostileModels() {
    }

    /** x [N, 4, 3, 3] → BatchNormalization (named "bn") → ReLU → y, with random source statistics. */
    public static ModelProto oneBatchNorm(int opset) {
        NetworkBuilder b = new NetworkBuilder(opset, 3);
        String x = b.input("x", -1, 4, 3, 3);
        x = b.batchNorm(x, 4);
        b.output(b.relu(x));
        ModelProto m = b.build();
        return withNode(m, "BatchNormalization", n -> n.setName("bn"));
    }

    /** A chain of {@code layers} BatchNormalization nodes over x [N, 4, 4, 4]. */
    public static ModelProto chain(int layers) {
        NetworkBuilder b = new NetworkBuilder(13, 1);
        String x = b.input("x", -1, 4, 4, 4);
        for (int i = 0; i < layers; i++) {
            x = b.batchNorm(x, 4);
        }
        b.output(x);
        return b.build();
    }

    /** The model with the first node of {@code opType} changed by {@code edit}. */
    public static ModelProto withNode(ModelProto m, String opType, java.util.function.Consumer<NodeProto.Builder> edit) {
        ModelProto.Builder mb = m.toBuilder();
        GraphProto.Builder g = mb.getGraphBuilder();
        for (int i = 0; i < g.getNodeCount(); i++) {
            if (g.getNode(i).getOpType().equals(opType)) {
                NodeProto.Builder n = g.getNode(i).toBuilder();
                edit.accept(n);
                g.setNode(i, n);
                return mb.build();
            }
        }
        throw new IllegalArgumentException("no " + opType + " node");
    }

    /** The model with the BatchNormalization input {@code index} (1 scale .. 4 variance) replaced by {@code tensor}. */
    public static ModelProto withStatistic(ModelProto m, int index, TensorProto.Builder tensor) {
        String name = m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("BatchNormalization"))
                .findFirst().orElseThrow().getInput(index);
        ModelProto.Builder mb = m.toBuilder();
        GraphProto.Builder g = mb.getGraphBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            if (g.getInitializer(i).getName().equals(name)) {
                g.setInitializer(i, tensor.setName(name));
                return mb.build();
            }
        }
        throw new IllegalArgumentException("no initializer " + name);
    }

    /** The model with its ai.onnx opset import set to {@code version}. */
    public static ModelProto withOpsetVersion(ModelProto m, long version) {
        return m.toBuilder().clearOpsetImport()
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(version)).build();
    }

    public static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    public static AttributeProto graphAttribute(String name, GraphProto graph) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.GRAPH).setG(graph).build();
    }

    /** A float value info without a shape (what subgraph outputs need). */
    public static ValueInfoProto floatValue(String name) {
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))).build();
    }

    /**
     * Runs an adaptive model on {@code input} ([batch, ...] flattened) at blend weight 0 with each layer's source
     * statistics and returns the named output.
     */
    public static float[] atBlendZero(AdaptiveModel adaptive, float[] input, int batch, String output) throws Exception {
        try (AdaptiveSession s = AdaptiveSession.open(adaptive, SessionConfig.cpu().withIntraOpThreads(1));
             Workspace ws = s.newWorkspace(batch)) {
            ws.input().put(0, input);
            for (int f = 0; f < batch; f++) {
                for (BatchNormLayer l : adaptive.layers()) {
                    ws.setStatistics(f, l.index(), l.sourceMean(), l.sourceVar());
                    ws.setBlend(f, l.index(), 0f);
                }
            }
            ws.run();
            FloatBuffer out = ws.output(output);
            float[] actual = new float[out.remaining()];
            out.get(actual);
            return actual;
        }
    }
}
