package io.adastream.trainer.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.adastream.trainer.onnx.OnnxGraphWriter;

/**
 * A square convolution without bias (padding {@code kernel / 2}), BatchNormalization over the channels, then ReLU:
 * the building block of both demo networks. Exported as the three ONNX nodes Conv, BatchNormalization (inference
 * mode, trained running statistics) and Relu, so that the adaptive graph finds every normalization layer (or, by
 * a folding exporter, as Conv with the normalization folded in, and Relu).
 */
public final class ConvBnRelu extends AbstractBlock implements OnnxExportable {
    /** BatchNormalization epsilon, written into the exported node. */
    public static final float EPSILON = 1e-5f;
    /** Weight of the old running statistics per training step (PyTorch's momentum is 1 minus this). */
    public static final float MOMENTUM = 0.9f;

    private final Conv2d conv;
    private final BatchNorm norm;

    public ConvBnRelu(int filters, int kernel, int stride) {
        super((byte) 1);
        conv = addChildBlock("conv", Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .optBias(false)
                .build());
        norm = addChildBlock("bn", BatchNorm.builder().optEpsilon(EPSILON).optMomentum(MOMENTUM).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDList x = conv.forward(store, inputs, training, params);
        x = norm.forward(store, x, training, params);
        return new NDList(Activation.relu(x.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return norm.getOutputShapes(conv.getOutputShapes(inputShapes));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
        norm.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
    }

    @Override
    public String exportTo(OnnxGraphWriter graph, String input) {
        return graph.relu(graph.convBatchNorm(input, conv, norm, EPSILON));
    }
}
