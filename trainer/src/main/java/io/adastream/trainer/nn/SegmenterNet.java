package io.adastream.trainer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.adastream.trainer.onnx.OnnxGraphWriter;

/**
 * A small U-Net: three resolution levels (full, 1/2, 1/4) with {@code width}, 2x and 4x channels, two
 * {@link ConvBnRelu} per level on the way down and up, max pooling down, nearest-neighbour upsampling up, and skip
 * connections concatenated on the channel axis; a 1x1 head gives per-pixel class logits of the input's size.
 * Ten BatchNormalization layers. Input [N, 3, H, W] with H and W divisible by 4; output [N, classes, H, W].
 */
public final class SegmenterNet extends AbstractBlock implements OnnxExportable {
    private final ExportableChain down1;
    private final ExportableChain down2;
    private final ExportableChain bottom;
    private final Upsample2 up2;
    private final ExportableChain fuse2;
    private final Upsample2 up1;
    private final ExportableChain fuse1;
    private final PlainConv head;

    /**
     * @param classes output channels (background included)
     * @param width   channels of the full-resolution level
     */
    public SegmenterNet(int classes, int width) {
        super((byte) 1);
        down1 = addChildBlock("down1", twoConvs(width));
        down2 = addChildBlock("down2", new ExportableChain().add(new MaxPool2())
                .add(new ConvBnRelu(2 * width, 3, 1)).add(new ConvBnRelu(2 * width, 3, 1)));
        bottom = addChildBlock("bottom", new ExportableChain().add(new MaxPool2())
                .add(new ConvBnRelu(4 * width, 3, 1)).add(new ConvBnRelu(4 * width, 3, 1)));
        up2 = addChildBlock("up2", new Upsample2());
        fuse2 = addChildBlock("fuse2", twoConvs(2 * width));
        up1 = addChildBlock("up1", new Upsample2());
        fuse1 = addChildBlock("fuse1", twoConvs(width));
        head = addChildBlock("head", new PlainConv(classes));
    }

    private static ExportableChain twoConvs(int filters) {
        return new ExportableChain().add(new ConvBnRelu(filters, 3, 1)).add(new ConvBnRelu(filters, 3, 1));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDList skip1 = down1.forward(store, inputs, training, params);
        NDList skip2 = down2.forward(store, skip1, training, params);
        NDList x = bottom.forward(store, skip2, training, params);
        x = up2.forward(store, x, training, params);
        x = fuse2.forward(store, concat(x, skip2), training, params);
        x = up1.forward(store, x, training, params);
        x = fuse1.forward(store, concat(x, skip1), training, params);
        return head.forward(store, x, training, params);
    }

    private static NDList concat(NDList upsampled, NDList skip) {
        NDArray joined = NDArrays.concat(new NDList(upsampled.singletonOrThrow(), skip.singletonOrThrow()), 1);
        return new NDList(joined);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] skip1 = down1.getOutputShapes(inputShapes);
        Shape[] skip2 = down2.getOutputShapes(skip1);
        Shape[] x = up2.getOutputShapes(bottom.getOutputShapes(skip2));
        x = up1.getOutputShapes(fuse2.getOutputShapes(concatShape(x, skip2)));
        return head.getOutputShapes(fuse1.getOutputShapes(concatShape(x, skip1)));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        down1.initialize(manager, dataType, inputShapes);
        Shape[] skip1 = down1.getOutputShapes(inputShapes);
        down2.initialize(manager, dataType, skip1);
        Shape[] skip2 = down2.getOutputShapes(skip1);
        bottom.initialize(manager, dataType, skip2);
        Shape[] x = bottom.getOutputShapes(skip2);
        up2.initialize(manager, dataType, x);
        x = concatShape(up2.getOutputShapes(x), skip2);
        fuse2.initialize(manager, dataType, x);
        x = fuse2.getOutputShapes(x);
        up1.initialize(manager, dataType, x);
        x = concatShape(up1.getOutputShapes(x), skip1);
        fuse1.initialize(manager, dataType, x);
        head.initialize(manager, dataType, fuse1.getOutputShapes(x));
    }

    private static Shape[] concatShape(Shape[] a, Shape[] b) {
        Shape s = a[0];
        return new Shape[]{new Shape(s.get(0), s.get(1) + b[0].get(1), s.get(2), s.get(3))};
    }

    @Override
    public String exportTo(OnnxGraphWriter graph, String input) {
        String skip1 = down1.exportTo(graph, input);
        String skip2 = down2.exportTo(graph, skip1);
        String x = up2.exportTo(graph, bottom.exportTo(graph, skip2));
        x = up1.exportTo(graph, fuse2.exportTo(graph, graph.concatChannels(x, skip2)));
        return head.exportTo(graph, fuse1.exportTo(graph, graph.concatChannels(x, skip1)));
    }
}
