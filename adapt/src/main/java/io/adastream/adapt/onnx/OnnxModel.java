package io.adastream.adapt.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A parsed ONNX model together with its original bytes and their SHA-256 fingerprint. */
public final class OnnxModel {

    /** Models larger than this are refused before parsing (protobuf's own hard limit is 2 GiB). */
    public static final int MAX_MODEL_BYTES = Integer.MAX_VALUE - 8;

    private final ModelProto proto;
    private final byte[] fingerprint;

    private OnnxModel(ModelProto proto, byte[] fingerprint) {
        this.proto = proto;
        this.fingerprint = fingerprint;
    }

    /** Reads and parses an ONNX file. */
    public static OnnxModel load(Path path) throws IOException, ModelFormatException {
        return parse(Files.readAllBytes(path));
    }

    /**
     * Parses ONNX model bytes.
     *
     * @throws ModelFormatException with {@link ModelFormatException.Reason#UNREADABLE} for bytes that are
     *                              empty, truncated or not an ONNX model, and with
     *                              {@link ModelFormatException.Reason#INVALID} for tensors whose data does not match
     *                              their dims, external data, or opset versions out of range ({@link ModelValidator})
     */
    public static OnnxModel parse(byte[] bytes) throws ModelFormatException {
        if (bytes.length == 0) {
            throw new ModelFormatException(ModelFormatException.Reason.UNREADABLE, "not an ONNX model: the file is empty");
        }
        ModelProto proto;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setSizeLimit(Integer.MAX_VALUE);
            proto = ModelProto.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFormatException(ModelFormatException.Reason.UNREADABLE,
                    "not an ONNX model (truncated or corrupt protobuf): " + oneLine(e.getMessage()), e);
        } catch (IOException e) {
            throw new ModelFormatException(ModelFormatException.Reason.UNREADABLE,
                    "not an ONNX model: " + oneLine(e.getMessage()), e);
        }
        if (!proto.hasGraph() || proto.getGraph().getNodeCount() == 0) {
            throw new ModelFormatException(ModelFormatException.Reason.UNREADABLE,
                    "not an ONNX model (truncated or corrupt): it has no graph nodes");
        }
        ModelValidator.validate(proto);
        if (defaultOpset(proto) < 0) {
            throw new ModelFormatException(ModelFormatException.Reason.UNREADABLE,
                    "not an ONNX model (truncated or corrupt): it declares no ai.onnx opset");
        }
        return new OnnxModel(proto, sha256(bytes));
    }

    /** Wraps an in-memory model, fingerprinting its serialized form. */
    public static OnnxModel of(ModelProto proto) throws ModelFormatException {
        return parse(proto.toByteArray());
    }

    /** The same model (same fingerprint) with its graph changed in a way that keeps its behaviour, e.g. renamed. */
    OnnxModel withProto(ModelProto changed) {
        return new OnnxModel(changed, fingerprint);
    }

    public ModelProto proto() {
        return proto;
    }

    /** The opset version of the default (ai.onnx) domain. */
    public int opset() {
        return (int) defaultOpset(proto);
    }

    /** SHA-256 of the model bytes as read. */
    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    /** SHA-256 of the model bytes as lowercase hex. */
    public String fingerprintHex() {
        return HexFormat.of().formatHex(fingerprint);
    }

    static long defaultOpset(ModelProto proto) {
        for (OperatorSetIdProto o : proto.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                return o.getVersion();
            }
        }
        return -1;
    }

    /** SHA-256 of some bytes. */
    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
