package io.adastream.trainer.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.adastream.trainer.onnx.OnnxGraphWriter;

/** A 1x1 convolution with bias and no activation: the prediction head of both networks. */
public final class PlainConv extends AbstractBlock implements OnnxExportable {
    private final Conv2d conv;

    public PlainConv(int filters) {
        super((byte) 1);
        conv = addChildBlock("conv", Conv2d.builder().setFilters(filters).setKernelShape(new Shape(1, 1)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return conv.forward(store, inputs, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
    }

    @Override
    public String exportTo(OnnxGraphWriter graph, String input) {
        return graph.conv(input, conv);
    }
}
