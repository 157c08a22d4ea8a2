package io.adastream.trainer.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.adastream.trainer.onnx.OnnxGraphWriter;

/** 2x2 max pooling of stride 2 (ONNX MaxPool); halves height and width. */
public final class MaxPool2 extends AbstractBlock implements OnnxExportable {
    public MaxPool2() {
        super((byte) 1);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(Pool.maxPool2d(inputs.singletonOrThrow(), new Shape(2, 2), new Shape(2, 2),
                new Shape(0, 0), false));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[]{new Shape(s.get(0), s.get(1), s.get(2) / 2, s.get(3) / 2)};
    }

    @Override
    public String exportTo(OnnxGraphWriter graph, String input) {
        return graph.maxPool2(input);
    }
}
