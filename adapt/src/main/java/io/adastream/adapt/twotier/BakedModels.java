package io.adastream.adapt.twotier;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.adastream.adapt.export.DomainModelExporter;
import io.adastream.adapt.onnx.BatchNormLayer;
import io.adastream.adapt.onnx.OnnxModel;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Bakes statistics into the model for serving: {@link DomainModelExporter}'s export (what {@code adastream export}
 * writes), with no initializer listed as a graph input, as in the adaptive graph, so that ONNX Runtime treats every
 * weight as a constant and folds each BatchNormalization into its convolution as it does for the original.
 * Deterministic: the same statistics give the same bytes.
 */
public final class BakedModels {

    private BakedModels() {
    }

    /** The serialized plain model normalizing with {@code statistics}. */
    public static byte[] bake(OnnxModel original, List<BatchNormLayer> layers, BakedStatistics statistics) {
        float[][][] s = statistics.copies();
        byte[] exported = DomainModelExporter.export(original, layers, s[0], s[1], "baked");
        return withoutInitializerInputs(exported);
    }

    private static byte[] withoutInitializerInputs(byte[] model) {
        ModelProto proto;
        try {
            proto = ModelProto.parseFrom(model);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("the exporter wrote an unreadable model: " + e.getMessage(), e);
        }
        GraphProto graph = proto.getGraph();
        Set<String> initializers = new HashSet<>();
        graph.getInitializerList().forEach(t -> initializers.add(t.getName()));
        List<ValueInfoProto> inputs = graph.getInputList().stream()
                .filter(i -> !initializers.contains(i.getName())).toList();
        if (inputs.size() == graph.getInputCount()) {
            return model;
        }
        return proto.toBuilder().setGraph(graph.toBuilder().clearInput().addAllInput(inputs)).build().toByteArray();
    }
}
