package io.adastream.trainer.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.adastream.trainer.onnx.OnnxGraphWriter;

/**
 * Nearest-neighbour 2x upsampling of NCHW values: every pixel becomes a 2x2 square (ONNX Resize, nearest,
 * asymmetric coordinates, floor rounding). Parameter-free. (DJL's PyTorch engine has no transposed convolution.)
 */
public final class Upsample2 extends AbstractBlock implements OnnxExportable {
    public Upsample2() {
        super((byte) 1);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(inputs.singletonOrThrow().repeat(2, 2).repeat(3, 2));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[]{new Shape(s.get(0), s.get(1), 2 * s.get(2), 2 * s.get(3))};
    }

    @Override
    public String exportTo(OnnxGraphWriter graph, String input) {
        return graph.upsampleNearest2(input);
    }
}
