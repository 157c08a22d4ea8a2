package io.adastream.topology;

import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.FrameOutcome;
import io.adastream.adapt.twotier.TierState;
import io.adastream.models.task.TaskResult;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns frames into predictions and adapts their domains: pre-processing, the model run with each frame's own
 * domain statistics, the fold of the frame's moments into its domain, and decoding. Knows nothing of Kafka; the
 * adapting processor calls it with domain states it has loaded and publishes what comes back.
 *
 * <p>The contract every implementation keeps (the one-frame {@link SessionFrameInference}, and batching or
 * baked-session paths):
 * <ul>
 *   <li>result {@code i} of {@link #inferAll} answers request {@code i}; each request is run with the statistics
 *       of its own {@link Request#state()}, whichever domains share one session call;</li>
 *   <li>each request's state is folded, held or restarted in place ({@code DomainAdapter}) before the call returns,
 *       in request order; two frames of one domain in one call both see the statistics from before the call;</li>
 *   <li>a frame whose moments are not finite comes back {@link FrameOutcome#REJECTED_NON_FINITE} with null results
 *       and its state unchanged; so does one whose outputs the task's decoder refuses, as
 *       {@link FrameOutcome#REJECTED_OUTPUT} with the decoder's message (never folded, never counted); every other result carries the frame's own outcome, shift score and fold weight;</li>
 *   <li>results own their data (nothing is overwritten by a later call); the caller keeps them;</li>
 *   <li>one thread at a time (a task's); a failure of the runtime is an {@link IllegalStateException}, which fails
 *       the task rather than dropping a frame;</li>
 *   <li>with the two-tier path on (a request carries its domain's {@link TierState}), each request is routed by
 *       {@code TwoTierPath.next} in request order before anything runs; a request routed baked runs on its domain's
 *       baked session (not in an adaptive batch) and comes back {@link FrameOutcome#BAKED}, its state untouched,
 *       shift score NaN, weight 0; an adaptive one runs as above and then moves its two-tier state on
 *       ({@code TwoTierPath.afterAdaptive}).</li>
 * </ul>
 */
public interface FrameInference extends AutoCloseable {

    /**
     * One frame of one domain: exactly one of {@code image} (to pre-process) and {@code tensor} (already the
     * model's CHW input) is set; {@code tier} is the domain's two-tier state (null while the two-tier path is off).
     */
    record Request(String domain, DomainState state, BufferedImage image, float[] tensor, TierState tier) {
        public Request {
            if ((image == null) == (tensor == null)) {
                throw new IllegalArgumentException("a frame is either an image or a tensor");
            }
        }

        /** A frame without two-tier state: it runs on the adaptive graph. */
        public Request(String domain, DomainState state, BufferedImage image, float[] tensor) {
            this(domain, state, image, tensor, null);
        }
    }

    /**
     * What one frame gave: its adaptation outcome, the decoded prediction (null when rejected), the prediction
     * with the source statistics (null unless the shadow source run is on, or rejected), the frame's shift score
     * and fold weight, the time spent pre-processing, in the model run and folding (nanoseconds), and for a frame
     * whose outputs could not be decoded the decoder's one-line message (null otherwise).
     */
    record Result(FrameOutcome outcome, AdaptationMode mode, TaskResult result, TaskResult sourceResult,
                  double shiftScore, double weight, long preprocessNanos, long inferenceNanos, long adaptNanos,
                  String decodeError) {

        /** A result whose outputs were decoded (or that was rejected for its moments). */
        public Result(FrameOutcome outcome, AdaptationMode mode, TaskResult result, TaskResult sourceResult,
                      double shiftScore, double weight, long preprocessNanos, long inferenceNanos, long adaptNanos) {
            this(outcome, mode, result, sourceResult, shiftScore, weight, preprocessNanos, inferenceNanos, adaptNanos,
                    null);
        }

        /** Whether the frame was refused (non-finite moments or undecodable outputs): its state is unchanged. */
        public boolean rejected() {
            return outcome == FrameOutcome.REJECTED_NON_FINITE || outcome == FrameOutcome.REJECTED_OUTPUT;
        }
    }

    /** Runs one frame; see the class comment for what happens to its state. */
    Result infer(Request request);

    /** Runs frames of any domains; the default runs them one by one, a batching implementation in one session call. */
    default List<Result> inferAll(List<Request> requests) {
        List<Result> results = new ArrayList<>(requests.size());
        for (Request r : requests) {
            results.add(infer(r));
        }
        return results;
    }

    /** Frees the implementation's buffers and native resources. */
    @Override
    void close();
}
