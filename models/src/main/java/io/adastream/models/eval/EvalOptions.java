package io.adastream.models.eval;

import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.stats.policy.Policies;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What an evaluation runs: frames per domain (also the cyclic block length), batch sizes, stream kinds, the
 * adaptation mode of the main tables, the policies, the seed, the cyclic pair and probes, whether fused and
 * two-pass are compared (on which policies), and ONNX Runtime threads.
 */
public record EvalOptions(int frames, List<Integer> batches, Set<StreamKind> streams, AdaptationMode mode,
                          List<String> policies, long seed, Condition cyclicA, Condition cyclicB, int cycles,
                          int probeFrames, int probeEvery, List<String> modePolicies, int threads) {

    /** Severities of the single-domain rows. */
    public static final List<Integer> SEVERITIES = List.of(3, 5);
    /** The severity of the continual stream and of the targets. */
    public static final int HARD = 5;

    public EvalOptions {
        if (frames < 1) {
            throw new IllegalArgumentException("frames must be positive: " + frames);
        }
        if (batches.isEmpty() || batches.stream().anyMatch(b -> b < 1)) {
            throw new IllegalArgumentException("batch sizes must be positive: " + batches);
        }
        batches = List.copyOf(batches);
        streams = streams.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(streams));
        policies = List.copyOf(policies);
        modePolicies = List.copyOf(modePolicies);
        for (String p : policies) {
            Policies.fromSpec(p);
        }
        if (cycles < 1 || probeFrames < 0 || probeEvery < 1 || threads < 1) {
            throw new IllegalArgumentException("cycles, probe interval and threads must be positive, probe frames >= 0");
        }
    }

    /**
     * The default run: 200 frames per domain, batches 1 and 8, every stream, fused, every policy, cyclic clean vs
     * fog-5 in blocks of 200 frames three times over, 16 probe frames of each every 50 frames, fused vs two-pass
     * for prior-decay, adabn and balanced, one thread.
     */
    public static EvalOptions defaults() {
        return new EvalOptions(200, List.of(1, 8), EnumSet.allOf(StreamKind.class), AdaptationMode.FUSED,
                Policies.NAMES, 20240917L, Condition.CLEAN, Condition.parse("fog-5"), 3, 16, 50,
                List.of("prior-decay", "adabn", "balanced"), 1);
    }

    /** The single-domain conditions: clean, then every corruption at severity 3, then at 5. */
    public List<Condition> singleConditions() {
        List<Condition> list = new ArrayList<>();
        list.add(Condition.CLEAN);
        for (int s : SEVERITIES) {
            list.addAll(Condition.allAt(s));
        }
        return list;
    }

    /** The continual order: clean, every corruption at severity 5, clean again. */
    public List<Condition> continualOrder() {
        List<Condition> list = new ArrayList<>();
        list.add(Condition.CLEAN);
        list.addAll(Condition.allAt(HARD));
        list.add(Condition.CLEAN);
        return list;
    }

    /** The other adaptation mode, compared against {@link #mode()}. */
    public AdaptationMode otherMode() {
        return mode == AdaptationMode.FUSED ? AdaptationMode.TWO_PASS : AdaptationMode.FUSED;
    }

    public EvalOptions withFrames(int n) {
        return new EvalOptions(n, batches, streams, mode, policies, seed, cyclicA, cyclicB, cycles, probeFrames,
                probeEvery, modePolicies, threads);
    }

    public EvalOptions withBatches(List<Integer> b) {
        return new EvalOptions(frames, b, streams, mode, policies, seed, cyclicA, cyclicB, cycles, probeFrames,
                probeEvery, modePolicies, threads);
    }

    public EvalOptions withStreams(Set<StreamKind> s) {
        return new EvalOptions(frames, batches, s, mode, policies, seed, cyclicA, cyclicB, cycles, probeFrames,
                probeEvery, modePolicies, threads);
    }

    public EvalOptions withMode(AdaptationMode m) {
        return new EvalOptions(frames, batches, streams, m, policies, seed, cyclicA, cyclicB, cycles, probeFrames,
                probeEvery, modePolicies, threads);
    }

    public EvalOptions withPolicies(List<String> p) {
        return new EvalOptions(frames, batches, streams, mode, p, seed, cyclicA, cyclicB, cycles, probeFrames,
                probeEvery, modePolicies, threads);
    }

    public EvalOptions withSeed(long s) {
        return new EvalOptions(frames, batches, streams, mode, policies, s, cyclicA, cyclicB, cycles, probeFrames,
                probeEvery, modePolicies, threads);
    }

    public EvalOptions withCyclic(Condition a, Condition b, int c, int probes, int every) {
        return new EvalOptions(frames, batches, streams, mode, policies, seed, a, b, c, probes, every, modePolicies,
                threads);
    }

    public EvalOptions withModePolicies(List<String> p) {
        return new EvalOptions(frames, batches, streams, mode, policies, seed, cyclicA, cyclicB, cycles, probeFrames,
                probeEvery, p, threads);
    }

    public EvalOptions withThreads(int t) {
        return new EvalOptions(frames, batches, streams, mode, policies, seed, cyclicA, cyclicB, cycles, probeFrames,
                probeEvery, modePolicies, t);
    }
}
