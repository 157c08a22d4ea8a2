package io.adastream.adapt.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import io.adastream.adapt.testing.HostileModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Models whose tensors contradict their declared shapes, keep their data outside the file, or carry statistics or
 * opset versions no valid model has: each is refused with {@link ModelFormatException.Reason#INVALID} and one line,
 * before anything is allocated in proportion to a declared size.
 */
class HostileInitializerTest {

    /** x → BatchNormalization(x, s, b, m, v) → y with all four constants declaring {@code dims} and holding no data. */
    private static byte[] tinyModelDeclaring(long dims) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("g")
                .addNode(NodeProto.newBuilder().setOpType("BatchNormalization").addInput("x")
                        .addInput("s").addInput("b").addInput("m").addInput("v").addOutput("y"))
                .addInput(HostileModels.floatValue("x")).addOutput(HostileModels.floatValue("y"));
        for (String name : new String[]{"s", "b", "m", "v"}) {
            g.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(dims));
        }
        return ModelProto.newBuilder().setIrVersion(7)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(g).build().toByteArray();
    }

    @ParameterizedTest(name = "dims [{0}]")
    @ValueSource(longs = {2147483647L, 1000000000L})
    void hugeDeclaredDimsWithoutDataAreRefusedBeforeAllocating(long dims) {
        byte[] bytes = tinyModelDeclaring(dims);
        assertTrue(bytes.length < 300, bytes.length + " bytes");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> AdaptiveGraphRewriter.rewrite(OnnxModel.parse(bytes)));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(ModelFormatException.Reason.INVALID, e.reason());
        assertEquals("initializer 's' declares " + dims + " FLOAT elements (dims [" + dims + "]), which take "
                + dims + " values, but holds 0", e.getMessage());
        assertTrue(allocated < 64L << 20, allocated + " bytes allocated while refusing a " + bytes.length + "-byte model");
    }

    @Test
    void rawDataOfTheWrongLengthIsRefused() {
        assertInvalid(statistic(3, t -> t.addDims(4).setRawData(ByteString.copyFrom(new byte[12]))),
                "declares 4 FLOAT elements (dims [4]), which take 16 raw bytes, but holds 12");
        assertInvalid(statistic(4, t -> t.addDims(4).addFloatData(1f)),
                "declares 4 FLOAT elements (dims [4]), which take 4 values, but holds 1");
    }

    @Test
    void negativeAndHugeDimsAreRefused() {
        assertInvalid(statistic(3, t -> t.addDims(-1).setRawData(ByteString.copyFrom(new byte[16]))),
                "declares dimension -1 in dims [-1]");
        assertInvalid(statistic(3, t -> t.addDims(1L << 40).setRawData(ByteString.copyFrom(new byte[16]))),
                "declares 1099511627776 FLOAT elements (dims [1099511627776]), which take 4398046511104 raw bytes, but holds 16");
        assertInvalid(statistic(3, t -> t.addDims(1L << 40).addDims(1L << 40).setRawData(ByteString.copyFrom(new byte[16]))),
                "declares dims [1099511627776, 1099511627776], more elements than any model can hold");
    }

    @Test
    void externalDataIsRefused() {
        assertInvalid(statistic(3, t -> t.addDims(4).setDataLocation(TensorProto.DataLocation.EXTERNAL)
                        .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("weights.bin"))),
                "keeps its data in an external file, which is not supported");
    }

    @Test
    void aConvolutionWeightThatContradictsItsShapeIsRefusedToo() {
        ModelProto m = HostileModels.oneBatchNorm(13);
        ModelProto.Builder mb = m.toBuilder();
        mb.getGraphBuilder().addInitializer(TensorProto.newBuilder().setName("unused_w")
                .setDataType(TensorProto.DataType.INT64_VALUE).addDims(3).addInt64Data(1));
        assertInvalid(mb.build().toByteArray(), "initializer 'unused_w' declares 3 INT64 elements");
    }

    @Test
    void nonFiniteMeansNegativeVariancesAndNegativeEpsilonAreRefused() throws Exception {
        float[] four = {0.1f, 0.2f, 0.3f, 0.4f};
        assertInvalidStatistics(statistic(3, t -> floats(t, 0.1f, Float.NaN, 0.3f, 0.4f)),
                "BatchNormalization 'bn' has mean NaN at channel 1; the statistics must be finite");
        assertInvalidStatistics(statistic(4, t -> floats(t, 1f, 1f, -0.5f, 1f)),
                "BatchNormalization 'bn' has a negative variance -0.5 at channel 2; variances cannot be negative");
        assertInvalidStatistics(statistic(4, t -> floats(t, 1f, Float.POSITIVE_INFINITY, 1f, 1f)),
                "BatchNormalization 'bn' has variance Infinity at channel 1; the statistics must be finite");
        assertInvalidStatistics(statistic(1, t -> floats(t, four[0], Float.NaN, four[2], four[3])),
                "BatchNormalization 'bn' has scale NaN at channel 1; the statistics must be finite");
        ModelProto negativeEpsilon = HostileModels.withNode(HostileModels.oneBatchNorm(13), "BatchNormalization",
                n -> n.setAttribute(0, n.getAttribute(0).toBuilder().setF(-1e-3f)));
        assertInvalidStatistics(negativeEpsilon.toByteArray(),
                "BatchNormalization 'bn' has epsilon -0.001; it must be finite and not negative");
    }

    @ParameterizedTest(name = "opset version {0}")
    @ValueSource(longs = {(1L << 32) + 15, -1L, Long.MAX_VALUE})
    void opsetVersionsOutsideTheIntRangeAreRefused(long version) {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> OnnxModel.parse(HostileModels.withOpsetVersion(HostileModels.oneBatchNorm(15), version).toByteArray()));
        assertEquals(ModelFormatException.Reason.INVALID, e.reason());
        assertEquals("the model imports opset version " + version + " of domain 'ai.onnx', outside the range of opset "
                + "versions (0 to 2147483647)", e.getMessage());
    }

    private static void floats(TensorProto.Builder t, float... values) {
        t.addDims(values.length);
        for (float v : values) {
            t.addFloatData(v);
        }
    }

    /** The one-BatchNormalization model with its input {@code index} replaced by a FLOAT tensor built by {@code fill}. */
    private static byte[] statistic(int index, Consumer<TensorProto.Builder> fill) {
        TensorProto.Builder t = TensorProto.newBuilder().setDataType(TensorProto.DataType.FLOAT_VALUE);
        fill.accept(t);
        return HostileModels.withStatistic(HostileModels.oneBatchNorm(13), index, t).toByteArray();
    }

    private static void assertInvalid(byte[] model, String expectedPart) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> AdaptiveGraphRewriter.rewrite(OnnxModel.parse(model)));
        assertEquals(ModelFormatException.Reason.INVALID, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(expectedPart), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private static void assertInvalidStatistics(byte[] model, String expected) throws Exception {
        OnnxModel parsed = OnnxModel.parse(model);
        assertFalse(BatchNormInspector.inspect(parsed).adaptable());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> AdaptiveGraphRewriter.rewrite(parsed));
        assertEquals(ModelFormatException.Reason.INVALID, e.reason(), e.getMessage());
        assertEquals(expected, e.getMessage());
    }
}
