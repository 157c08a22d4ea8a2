package io.adastream.adapt.session;

/**
 * How to run an adaptive model: the execution provider ({@code cpu} or {@code cuda}), the CUDA device, and the
 * intra-op thread count (0 lets ONNX Runtime choose).
 */
public record SessionConfig(Provider provider, int cudaDevice, int intraOpThreads) {

    /** Where ONNX Runtime runs the graph. */
    public enum Provider { CPU, CUDA }

    public SessionConfig {
        if (cudaDevice < 0) {
            throw new IllegalArgumentException("cuda device must be >= 0, got " + cudaDevice);
        }
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intra-op threads must be >= 0, got " + intraOpThreads);
        }
    }

    /** CPU with ONNX Runtime's default thread count. */
    public static SessionConfig cpu() {
        return new SessionConfig(Provider.CPU, 0, 0);
    }

    public SessionConfig withIntraOpThreads(int threads) {
        return new SessionConfig(provider, cudaDevice, threads);
    }

    /** The CUDA provider on a device; falls back to CPU with a warning where CUDA cannot load. */
    public static SessionConfig cuda(int device) {
        return new SessionConfig(Provider.CUDA, device, 0);
    }
}
