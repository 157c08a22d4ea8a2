package io.adastream.trainer.nn;

import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.adastream.trainer.onnx.OnnxGraphWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * A U-Net with any number of levels: level i (resolution 1/2^i) has {@code widths[i]} channels and two
 * {@link ConvBnRelu} on the way down (after 2x2 max pooling, except at full resolution) and two on the way up (after
 * nearest 2x upsampling of the level below and concatenation with this level's skip connection); a 1x1 head gives
 * per-pixel class logits. {@code 4 * levels - 2} BatchNormalization layers. Input [N, 3, H, W] with H and W divisible
 * by {@code 2^(levels - 1)}; output [N, classes, H, W].
 */
public final class UNet extends AbstractBlock implements OnnxExportable {
    private final List<ExportableChain> down = new ArrayList<>();
    private final List<Upsample2> ups = new ArrayList<>();
    private final List<ExportableChain> fuse = new ArrayList<>();
    private final PlainConv head;

    /**
     * @param classes output channels
     * @param widths  channels per level, full resolution first (at least two levels)
     */
    public UNet(int classes, int... widths) {
        super((byte) 1);
        if (widths.length < 2) {
            throw new IllegalArgumentException("a U-Net needs at least two levels");
        }
        for (int i = 0; i < widths.length; i++) {
            ExportableChain chain = new ExportableChain();
            if (i > 0) {
                chain.add(new MaxPool2());
            }
            down.add(addChildBlock("down" + i, chain.add(new ConvBnRelu(widths[i], 3, 1))
                    .add(new ConvBnRelu(widths[i], 3, 1))));
        }
        for (int i = widths.length - 2; i >= 0; i--) {
            ups.add(addChildBlock("up" + i, new Upsample2()));
            fuse.add(addChildBlock("fuse" + i, new ExportableChain().add(new ConvBnRelu(widths[i], 3, 1))
                    .add(new ConvBnRelu(widths[i], 3, 1))));
        }
        head = addChildBlock("head", new PlainConv(classes));
    }

    /** BatchNormalization layers of a U-Net with this many levels. */
    public static int batchNormLayers(int levels) {
        return 4 * levels - 2;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        List<NDList> skips = new ArrayList<>();
        NDList x = inputs;
        for (ExportableChain level : down) {
            x = level.forward(store, x, training, params);
            skips.add(x);
        }
        for (int k = 0; k < ups.size(); k++) {
            NDList skip = skips.get(skips.size() - 2 - k);
            NDList up = ups.get(k).forward(store, x, training, params);
            x = fuse.get(k).forward(store, new NDList(NDArrays.concat(
                    new NDList(up.singletonOrThrow(), skip.singletonOrThrow()), 1)), training, params);
        }
        return head.forward(store, x, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return walkShapes(null, null, inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        walkShapes(manager, dataType, inputShapes);
    }

    /** The output shapes; initializes every child on the way when {@code manager} is given. */
    private Shape[] walkShapes(NDManager manager, DataType dataType, Shape[] inputShapes) {
        List<Shape[]> skips = new ArrayList<>();
        Shape[] x = inputShapes;
        for (ExportableChain level : down) {
            if (manager != null) {
                level.initialize(manager, dataType, x);
            }
            x = level.getOutputShapes(x);
            skips.add(x);
        }
        for (int k = 0; k < ups.size(); k++) {
            if (manager != null) {
                ups.get(k).initialize(manager, dataType, x);
            }
            Shape up = ups.get(k).getOutputShapes(x)[0];
            Shape skip = skips.get(skips.size() - 2 - k)[0];
            x = new Shape[]{new Shape(up.get(0), up.get(1) + skip.get(1), up.get(2), up.get(3))};
            if (manager != null) {
                fuse.get(k).initialize(manager, dataType, x);
            }
            x = fuse.get(k).getOutputShapes(x);
        }
        if (manager != null) {
            head.initialize(manager, dataType, x);
        }
        return head.getOutputShapes(x);
    }

    @Override
    public String exportTo(OnnxGraphWriter graph, String input) {
        List<String> skips = new ArrayList<>();
        String x = input;
        for (ExportableChain level : down) {
            x = level.exportTo(graph, x);
            skips.add(x);
        }
        for (int k = 0; k < ups.size(); k++) {
            String up = ups.get(k).exportTo(graph, x);
            x = fuse.get(k).exportTo(graph, graph.concatChannels(up, skips.get(skips.size() - 2 - k)));
        }
        return head.exportTo(graph, x);
    }
}
