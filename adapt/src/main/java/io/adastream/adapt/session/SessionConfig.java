package io.adastream.adapt.session;

import io.adastream.adapt.onnx.AdaptiveGraphRewriter.SecondMoment;

/**
 * How to run an adaptive model: the execution provider ({@code cpu} or {@code cuda}), the CUDA device, the intra-op
 * thread count (0 lets ONNX Runtime choose) and the form of the adaptive graph's second moment.
 */
public record SessionConfig(Provider provider, int cudaDevice, int intraOpThreads, SecondMoment secondMoment) {

    /** Where ONNX Runtime runs the graph. */
    public enum Provider { CPU, CUDA }

    public SessionConfig {
        if (cudaDevice < 0) {
            throw new IllegalArgumentException("cuda device must be >= 0, got " + cudaDevice);
        }
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intra-op threads must be >= 0, got " + intraOpThreads);
        }
        if (secondMoment == null) {
            throw new IllegalArgumentException("the second moment's form is required");
        }
    }

    /** A configuration with the default second moment ({@link SecondMoment#MATMUL}). */
    public SessionConfig(Provider provider, int cudaDevice, int intraOpThreads) {
        this(provider, cudaDevice, intraOpThreads, SecondMoment.MATMUL);
    }

    /** CPU with ONNX Runtime's default thread count. */
    public static SessionConfig cpu() {
        return new SessionConfig(Provider.CPU, 0, 0);
    }

    public SessionConfig withIntraOpThreads(int threads) {
        return new SessionConfig(provider, cudaDevice, threads, secondMoment);
    }

    public SessionConfig withSecondMoment(SecondMoment form) {
        return new SessionConfig(provider, cudaDevice, intraOpThreads, form);
    }

    /** The CUDA provider on a device; falls back to CPU with a warning where CUDA cannot load. */
    public static SessionConfig cuda(int device) {
        return new SessionConfig(Provider.CUDA, device, 0);
    }
}
