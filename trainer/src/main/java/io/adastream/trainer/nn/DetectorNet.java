package io.adastream.trainer.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.adastream.trainer.onnx.OnnxGraphWriter;

/**
 * A small single-stage, anchor-free grid detector: a stem, three stride-2 {@link ConvBnRelu} stages (total stride
 * 8) each followed by more 3x3 blocks, and a 1x1 head with {@code 5 + classes} channels per cell in the layout that
 * {@code io.adastream.models.task.GridDetectionDecoder} decodes (objectness, tx, ty, tw, th, class logits).
 * Eight BatchNormalization layers. Input [N, 3, H, W]; output [N, 5 + classes, H / 8, W / 8].
 */
public final class DetectorNet extends AbstractBlock implements OnnxExportable {
    /** Total stride: input pixels per grid cell. */
    public static final int STRIDE = 8;

    private final ExportableChain body;

    /**
     * @param classes foreground classes K
     * @param width   channels of the stem (later stages use 2x and 4x)
     */
    public DetectorNet(int classes, int width) {
        super((byte) 1);
        body = addChildBlock("body", new ExportableChain()
                .add(new ConvBnRelu(width, 3, 1))
                .add(new ConvBnRelu(2 * width, 3, 2))
                .add(new ConvBnRelu(2 * width, 3, 1))
                .add(new ConvBnRelu(4 * width, 3, 2))
                .add(new ConvBnRelu(4 * width, 3, 1))
                .add(new ConvBnRelu(4 * width, 3, 2))
                .add(new ConvBnRelu(4 * width, 3, 1))
                .add(new ConvBnRelu(4 * width, 3, 1))
                .add(new PlainConv(5 + classes)));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return body.forward(store, inputs, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return body.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes);
    }

    @Override
    public String exportTo(OnnxGraphWriter graph, String input) {
        return body.exportTo(graph, input);
    }
}
