package io.adastream.trainer.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.adastream.trainer.nn.OnnxExportable;

/** Exports a trained network with a square RGB input named {@value #INPUT_NAME} of shape [N, 3, size, size]. */
public final class OnnxExport {
    /** Graph input name of every demo model. */
    public static final String INPUT_NAME = "image";

    private OnnxExport() {
    }

    /**
     * @param outputDims output shape without the batch dimension
     */
    public static ModelProto export(OnnxExportable network, String graphName, int inputSize, String outputName,
                                    long[] outputDims, String docString) {
        OnnxGraphWriter writer = new OnnxGraphWriter();
        String last = network.exportTo(writer, INPUT_NAME);
        return writer.build(graphName, INPUT_NAME, new long[]{3, inputSize, inputSize}, last, outputName,
                outputDims, docString);
    }
}
