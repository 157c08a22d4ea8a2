package io.adastream.client;

/**
 * One record of the predictions topic: what the service predicted for a frame of a domain, with the adaptation
 * state the prediction was made with. {@code sourceResult} is the unadapted model's result, or null when the
 * service runs without {@code shadow.source=true}.
 */
public record Prediction(String frameId, String domain, ModelInfo model, String task, Adaptation adaptation,
                         Result result, Result sourceResult, Timings timings) {

    /** Whether the record carries the unadapted model's result too. */
    public boolean hasSourceResult() {
        return sourceResult != null;
    }

    /** The model that predicted: its spec name and the SHA-256 (hex) of its original ONNX file. */
    public record ModelInfo(String name, String sha256) {
    }

    /**
     * The domain's adaptation state after the frame: its policy, the mode ({@code fused} or {@code two-pass}), the
     * frame's outcome ({@code folded}, {@code held}, {@code frozen}, ...), frames folded, state version, the fold
     * weight, the shift score and the weight the source statistics still hold. Numbers the service could not compute
     * are NaN.
     */
    public record Adaptation(String policy, String mode, String outcome, long frames, long version, double weight,
                             double shiftScore, double sourceWeight, boolean frozen) {
    }

    /** Milliseconds the service spent decoding, pre-processing and inferring the frame (NaN when absent). */
    public record Timings(double decodeMs, double preprocessMs, double inferenceMs) {
    }
}
