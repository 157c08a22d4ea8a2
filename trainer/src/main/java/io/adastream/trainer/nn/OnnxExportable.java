package io.adastream.trainer.nn;

import io.adastream.trainer.onnx.OnnxGraphWriter;

/** A block that can write its inference-mode computation as ONNX nodes, reading its trained parameters. */
public interface OnnxExportable {
    /**
     * Appends this block's nodes and initializers to {@code graph}.
     *
     * @param input name of the value the block consumes
     * @return name of the value the block produces
     */
    String exportTo(OnnxGraphWriter graph, String input);
}
