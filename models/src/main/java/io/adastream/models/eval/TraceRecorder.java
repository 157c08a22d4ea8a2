package io.adastream.models.eval;

import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.models.metrics.WindowedMeanAveragePrecision;
import io.adastream.models.metrics.WindowedMeanIoU;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.task.TaskResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Records, for the replays it is asked to trace (one batch size and mode, the streams a predicate accepts, and the
 * oracle), the accuracy along each stream over a sliding window of frames (mIoU for a segmenter, mAP@0.5 for a
 * detector) and, for segmenters, the predicted masks of a few frames spread along each stream. Other frames' masks
 * are not kept. Not thread-safe.
 */
public final class TraceRecorder implements ReplayObserver {

    /** Frames of the sliding window when none is given. */
    public static final int DEFAULT_WINDOW = 25;
    /** Frames kept per stream for the strip of masks when no count is given. */
    public static final int DEFAULT_SAMPLES = 4;

    private final ModelSpec spec;
    private final int window;
    private final int sampleCount;
    private final int batch;
    private final AdaptationMode mode;
    private final Predicate<EvalStream> traced;
    private final Map<String, Builder> streams = new LinkedHashMap<>();

    private Builder current;
    private String policy;
    private int policyBatch;
    private AdaptationMode policyMode;
    private double[] values;
    private WindowedMeanIoU iou;
    private WindowedMeanAveragePrecision ap;

    /**
     * @param window frames of the sliding window; @param samples frames per stream whose masks are kept;
     * @param batch and @param mode the replays traced (the oracle always is); @param traced the streams traced
     */
    public TraceRecorder(ModelSpec spec, int window, int samples, int batch, AdaptationMode mode,
                         Predicate<EvalStream> traced) {
        if (window < 1) {
            throw new IllegalArgumentException("the accuracy window must be at least 1 frame: " + window);
        }
        if (samples < 0) {
            throw new IllegalArgumentException("sample frames must not be negative: " + samples);
        }
        this.spec = spec;
        this.window = window;
        this.sampleCount = samples;
        this.batch = batch;
        this.mode = mode;
        this.traced = traced;
    }

    /** The name a stream's pictures go by: its name, with the condition for a stream of one condition. */
    public static String traceName(EvalStream stream) {
        List<String> rows = stream.rows();
        return rows.size() == 1 && !rows.get(0).equals(stream.name()) ? stream.name() + "-" + rows.get(0) : stream.name();
    }

    /** The frames {@code samples} evenly spread picks from a stream of {@code frames}: the middles of equal parts. */
    public static int[] sampleIndices(int frames, int samples) {
        int n = Math.min(frames, samples);
        int[] at = new int[n];
        for (int j = 0; j < n; j++) {
            at[j] = (int) ((2L * j + 1) * frames / (2L * n));
        }
        return at;
    }

    @Override
    public void begin(EvalStream stream, String policy, int batch, AdaptationMode mode) {
        current = null;
        boolean oracle = policy.equals(StreamReplay.ORACLE);
        if (!traced.test(stream) || !oracle && (batch != this.batch || mode != this.mode)) {
            return;
        }
        Builder b = streams.computeIfAbsent(traceName(stream), name -> new Builder(name, stream, sampleCount));
        if (b.traces.containsKey(policy)) {
            return;
        }
        current = b;
        this.policy = policy;
        this.policyBatch = batch;
        this.policyMode = mode;
        values = new double[stream.frameCount()];
        Arrays.fill(values, Double.NaN);
        if (spec.isSegmentation()) {
            iou = new WindowedMeanIoU(spec.classes().size(), window);
        } else {
            ap = new WindowedMeanAveragePrecision(spec.outputClasses(), window);
        }
    }

    @Override
    public void scored(int index, EvalFrame frame, TaskResult prediction) {
        if (current == null || index >= values.length) {
            return;
        }
        if (prediction instanceof TaskResult.Segmentation s) {
            iou.add(frame.classMask(), s.mask());
            values[index] = iou.meanIoU();
            int sample = Arrays.binarySearch(current.sampleAt, index);
            if (sample >= 0) {
                current.sample(sample, frame).put(policy, s.mask().clone());
            }
        } else {
            ap.add(frame.boxes(), ((TaskResult.Detections) prediction).detections());
            values[index] = ap.map50();
        }
    }

    @Override
    public void end() {
        if (current != null) {
            current.traces.put(policy, new AccuracyTrace(policy, policyBatch, policyMode, window, values));
        }
        current = null;
        values = null;
        iou = null;
        ap = null;
    }

    /** Every traced stream in the order first replayed. */
    public List<StreamTrace> traces() {
        List<StreamTrace> out = new ArrayList<>();
        for (Builder b : streams.values()) {
            out.add(b.build());
        }
        return out;
    }

    /** One stream's trace while it is being recorded. */
    private static final class Builder {
        final String name;
        final int frames;
        final List<StreamTrace.Segment> segments = new ArrayList<>();
        final Map<String, AccuracyTrace> traces = new LinkedHashMap<>();
        final int[] sampleAt;
        final String[] sampleRow;
        final EvalFrame[] sampleFrame;
        final List<Map<String, byte[]>> sampleMasks = new ArrayList<>();

        Builder(String name, EvalStream stream, int samples) {
            this.name = name;
            this.frames = stream.frameCount();
            int start = 0;
            for (EvalStream.Block block : stream.blocks()) {
                if (segments.isEmpty() || !segments.get(segments.size() - 1).row().equals(block.row())) {
                    segments.add(new StreamTrace.Segment(start, block.row()));
                }
                start += block.frames().size();
            }
            this.sampleAt = sampleIndices(frames, samples);
            this.sampleRow = new String[sampleAt.length];
            this.sampleFrame = new EvalFrame[sampleAt.length];
            for (int j = 0; j < sampleAt.length; j++) {
                sampleMasks.add(new HashMap<>());
                sampleRow[j] = rowAt(sampleAt[j]);
            }
        }

        private String rowAt(int index) {
            String row = null;
            for (StreamTrace.Segment s : segments) {
                if (s.start() <= index) {
                    row = s.row();
                }
            }
            return row;
        }

        Map<String, byte[]> sample(int j, EvalFrame frame) {
            sampleFrame[j] = frame;
            return sampleMasks.get(j);
        }

        StreamTrace build() {
            List<StreamTrace.SampleFrame> samples = new ArrayList<>();
            for (int j = 0; j < sampleAt.length; j++) {
                if (sampleFrame[j] != null) {
                    samples.add(new StreamTrace.SampleFrame(sampleAt[j], sampleRow[j], sampleFrame[j], sampleMasks.get(j)));
                }
            }
            return new StreamTrace(name, frames, segments, List.copyOf(traces.values()), samples);
        }
    }
}
