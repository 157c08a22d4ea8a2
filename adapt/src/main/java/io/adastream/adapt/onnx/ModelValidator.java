package io.adastream.adapt.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;

/**
 * Checks a parsed model's declarations before anything reads its tensors: opset versions within their range, and
 * every initializer and tensor attribute (in the main graph and in every subgraph) holding exactly the data its
 * dims declare, inside the file. Nothing is allocated in proportion to a declared size.
 */
final class ModelValidator {

    private ModelValidator() {
    }

    /** @throws ModelFormatException {@link ModelFormatException.Reason#INVALID}, one line naming the tensor or opset */
    static void validate(ModelProto model) throws ModelFormatException {
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getVersion() < 0 || o.getVersion() > Integer.MAX_VALUE) {
                String domain = o.getDomain().isEmpty() ? "ai.onnx" : o.getDomain();
                throw invalid("the model imports opset version " + o.getVersion() + " of domain '" + domain
                        + "', outside the range of opset versions (0 to " + Integer.MAX_VALUE + ")");
            }
        }
        validate(model.getGraph());
    }

    private static void validate(GraphProto graph) throws ModelFormatException {
        for (TensorProto t : graph.getInitializerList()) {
            check(t, "initializer");
        }
        for (NodeProto n : graph.getNodeList()) {
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasT()) {
                    check(a.getT(), "tensor attribute of node '" + n.getName() + "'");
                }
                for (TensorProto t : a.getTensorsList()) {
                    check(t, "tensor attribute of node '" + n.getName() + "'");
                }
            }
            for (GraphProto g : Subgraphs.of(n)) {
                validate(g);
            }
        }
    }

    private static void check(TensorProto t, String what) throws ModelFormatException {
        String name = what + " '" + t.getName() + "'";
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
            throw invalid(name + " keeps its data in an external file, which is not supported: save the model with "
                    + "its data inside (onnx.save_model(..., save_as_external_data=False))");
        }
        long elements = 1;
        boolean overflow = false;
        for (long d : t.getDimsList()) {
            if (d < 0) {
                throw invalid(name + " declares dimension " + d + " in dims " + t.getDimsList());
            }
            try {
                elements = Math.multiplyExact(elements, d);
            } catch (ArithmeticException e) {
                overflow = true;
            }
        }
        if (t.getDimsList().contains(0L)) {
            elements = 0;
            overflow = false;
        }
        if (overflow) {
            throw invalid(name + " declares dims " + t.getDimsList() + ", more elements than any model can hold");
        }
        ElementStorage storage = ElementStorage.of(t.getDataType());
        if (storage == null) {
            return;
        }
        long expected = storage.units(elements);
        long held;
        String unit;
        if (!t.getRawData().isEmpty()) {
            expected = storage.rawBytes(elements);
            held = t.getRawData().size();
            unit = "raw bytes";
        } else {
            held = storage.typedValues(t);
            unit = "values";
        }
        if (held != expected) {
            throw invalid(name + " declares " + elements + " " + TensorProto.DataType.forNumber(t.getDataType())
                    + " elements (dims " + t.getDimsList() + "), which take " + expected + " " + unit + ", but holds "
                    + held);
        }
    }

    private static ModelFormatException invalid(String message) {
        return new ModelFormatException(ModelFormatException.Reason.INVALID, message);
    }
}
