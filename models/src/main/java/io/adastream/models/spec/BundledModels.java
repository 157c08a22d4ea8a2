package io.adastream.models.spec;

import java.io.IOException;
import java.io.InputStream;

/** The demo models shipped in this jar: {@code segmenter} and {@code detector}, each an ONNX file and its spec. */
public final class BundledModels {

    public static final String SEGMENTER = "segmenter";
    public static final String DETECTOR = "detector";
    private static final String FOLDER = "/io/adastream/models/demo/";

    private BundledModels() {
    }

    /** The spec of a bundled model. */
    public static ModelSpec spec(String name) throws ModelSpecException {
        try (InputStream in = open(name + ".json")) {
            return ModelSpec.parse(in, "bundled " + name + ".json");
        } catch (IOException e) {
            throw new ModelSpecException("bundled " + name + ": " + e.getMessage());
        }
    }

    /** The ONNX bytes of a bundled model. */
    public static byte[] onnx(String name) throws ModelSpecException {
        try (InputStream in = open(name + ".onnx")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ModelSpecException("bundled " + name + ": " + e.getMessage());
        }
    }

    /** Whether a bundled model is present in this build. */
    public static boolean available(String name) {
        return BundledModels.class.getResource(FOLDER + name + ".onnx") != null
                && BundledModels.class.getResource(FOLDER + name + ".json") != null;
    }

    private static InputStream open(String file) throws IOException {
        InputStream in = BundledModels.class.getResourceAsStream(FOLDER + file);
        if (in == null) {
            throw new IOException("no bundled model file " + file);
        }
        return in;
    }
}
