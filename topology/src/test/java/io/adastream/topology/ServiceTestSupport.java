package io.adastream.topology;

import io.adastream.adapt.testing.TinySegmenter;

import java.nio.file.Path;

/** For the tests that start a real service: the tiny test segmenter as files. */
final class ServiceTestSupport {

    private ServiceTestSupport() {
    }

    /** Writes tiny.onnx and tiny.json into {@code dir}; returns the spec's path. */
    static Path writeTinyModel(Path dir) throws Exception {
        return TinySegmenter.SERVICE.writeTo(dir);
    }
}
