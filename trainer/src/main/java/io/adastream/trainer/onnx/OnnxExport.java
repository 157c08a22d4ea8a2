package io.adastream.trainer.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.adastream.trainer.nn.OnnxExportable;

/**
 * Exports a trained network with an RGB input named {@value #INPUT_NAME} of shape [N, 3, height, width], with its
 * BatchNormalization layers kept as nodes ({@link BatchNorm#KEEP}) or folded into the convolutions before them
 * ({@link BatchNorm#FOLD}).
 */
public final class OnnxExport {
    /** Graph input name of every demo model. */
    public static final String INPUT_NAME = "image";

    /** What the export does with BatchNormalization layers that follow a convolution. */
    public enum BatchNorm {
        /** BatchNormalization nodes with the running statistics (what the adaptive graph adapts). */
        KEEP,
        /** Folded into the convolution's weights and bias: no BatchNormalization node left. */
        FOLD
    }

    private OnnxExport() {
    }

    /**
     * A square input, BatchNormalization kept.
     *
     * @param outputDims output shape without the batch dimension
     */
    public static ModelProto export(OnnxExportable network, String graphName, int inputSize, String outputName,
                                    long[] outputDims, String docString) {
        return export(network, graphName, inputSize, inputSize, BatchNorm.KEEP, outputName, outputDims, docString);
    }

    /**
     * @param outputDims output shape without the batch dimension
     */
    public static ModelProto export(OnnxExportable network, String graphName, int inputWidth, int inputHeight,
                                    BatchNorm batchNorm, String outputName, long[] outputDims, String docString) {
        OnnxGraphWriter writer = new OnnxGraphWriter(batchNorm == BatchNorm.FOLD);
        String last = network.exportTo(writer, INPUT_NAME);
        return writer.build(graphName, INPUT_NAME, new long[]{3, inputHeight, inputWidth}, last, outputName,
                outputDims, docString);
    }
}
