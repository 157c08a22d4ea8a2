package io.adastream.client.snapshot;

import java.util.List;
import java.util.Map;

/**
 * A domain's adaptation state as the snapshots topic carries it: the model it belongs to, the policy and its
 * schedule, the shift detector, and per BatchNorm layer (in graph order, the {@code l} of the adaptive graph's
 * {@code adastream.mean.<l>}) the adapted statistics. An edge device normalizes with {@link Layer#fedMean()} and
 * {@link Layer#fedVariance()}: feed them to the adaptive graph with blend weight 0, or write them into the
 * original model's BatchNormalization mean and variance initializers.
 */
public record DomainSnapshot(int formatVersion, Precision precision, String modelSha256, String policy,
                             Map<String, String> parameters, boolean frozen, long stateVersion, long frames,
                             double effectiveCount, long segmentStep, double sourceWeight, Detector detector,
                             List<Layer> layers, long heldFrames, long heldSpikes, Library library) {

    public DomainSnapshot {
        parameters = Map.copyOf(parameters);
        layers = List.copyOf(layers);
    }

    /** How the snapshot stored its per-channel statistics. */
    public enum Precision {
        FLOAT64, FLOAT32, FLOAT16
    }

    /** The channels of every layer, summed. */
    public long totalChannels() {
        long total = 0;
        for (Layer l : layers) {
            total += l.channels();
        }
        return total;
    }

    /** Whether the snapshot has a segment library (policy {@code balanced}). */
    public boolean hasLibrary() {
        return library != null;
    }

    /**
     * One BatchNorm layer: the adapted estimate (mean and population variance per channel, in the snapshot's
     * precision) and the float32 statistics the service feeds the graph with (the estimate itself, or for
     * {@code balanced} the mixture of the estimate and the library's segments, shrunk towards the source by the
     * agreement guard's factor {@code guardScale}, 1 when not shrunk; always 1 in a format-2 snapshot).
     */
    public record Layer(double[] mean, double[] variance, float[] fedMean, float[] fedVariance, double guardScale) {

        public int channels() {
            return mean.length;
        }
    }

    /**
     * The shift detector: frames since its (re)start, the baseline of the score and of its square, the open alarm
     * window (frames, alarm frames), shifts confirmed and spike frames skipped since the domain started.
     */
    public record Detector(long frames, double baseline, double baselineSquare, int windowFrames, int alarmFrames,
                           long shifts, long spikesSkipped) {
    }

    /**
     * The {@code balanced} policy's segment library: its capacity, the frames pooled in the live segment, the closed
     * segments (oldest first) and the mixture weights of the last mixture (the live estimate first).
     */
    public record Library(int capacity, long liveFrames, List<Segment> segments, double[] weights) {
        public Library {
            segments = List.copyOf(segments);
        }
    }

    /** A closed segment: its regime tag, the domain's frame count when it closed, and its frames. */
    public record Segment(int tag, long closedAtFrame, long frames) {
    }
}
