package io.adastream.trainer.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.adastream.trainer.onnx.OnnxGraphWriter;

import java.util.ArrayList;
import java.util.List;

/** Exportable blocks applied one after the other (a sequential block whose ONNX export is the chain of exports). */
public final class ExportableChain extends AbstractBlock implements OnnxExportable {
    private final List<Block> blocks = new ArrayList<>();

    public ExportableChain() {
        super((byte) 1);
    }

    /** Appends a block; returns this chain. */
    public <B extends Block & OnnxExportable> ExportableChain add(B block) {
        blocks.add(addChildBlock(block.getClass().getSimpleName().toLowerCase() + blocks.size(), block));
        return this;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDList x = inputs;
        for (Block block : blocks) {
            x = block.forward(store, x, training, params);
        }
        return x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block block : blocks) {
            shapes = block.getOutputShapes(shapes);
        }
        return shapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block block : blocks) {
            block.initialize(manager, dataType, shapes);
            shapes = block.getOutputShapes(shapes);
        }
    }

    @Override
    public String exportTo(OnnxGraphWriter graph, String input) {
        String x = input;
        for (Block block : blocks) {
            x = ((OnnxExportable) block).exportTo(graph, x);
        }
        return x;
    }
}
