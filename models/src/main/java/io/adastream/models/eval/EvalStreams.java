package io.adastream.models.eval;

import io.adastream.models.synth.Scene;
import io.adastream.models.util.SplitMix64;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the benchmark's streams at a model's input size, deterministically from one seed: single-domain streams
 * (the same scenes under each condition, so domains are compared on equal content), the continual stream
 * (conditions one after another, new scenes throughout) and the cyclic stream (two conditions alternating in
 * blocks, with held-out probe frames of both).
 */
public final class EvalStreams {

    private static final long SINGLE = 1;
    private static final long CONTINUAL = 2;
    private static final long CYCLIC = 3;
    private static final long PROBES = 4;

    private final long seed;
    private final int width;
    private final int height;

    public EvalStreams(long seed, int width, int height) {
        this.seed = seed;
        this.width = width;
        this.height = height;
    }

    /** The clean scenes shared by every single-domain stream. */
    public List<Scene> singleDomainScenes(int frames) {
        FrameRenderer renderer = renderer(SINGLE);
        List<Scene> scenes = new ArrayList<>(frames);
        for (int i = 0; i < frames; i++) {
            scenes.add(renderer.nextScene());
        }
        return scenes;
    }

    /** One condition over the shared scenes, as a stream of its own named after the condition. */
    public EvalStream singleDomain(List<Scene> scenes, Condition condition) {
        FrameRenderer renderer = renderer(SINGLE);
        List<EvalFrame> frames = new ArrayList<>(scenes.size());
        for (int i = 0; i < scenes.size(); i++) {
            frames.add(renderer.render(scenes.get(i), condition, i));
        }
        return new EvalStream("single", List.of(new EvalStream.Block(condition.label(), condition, frames)));
    }

    /** The conditions one after another, {@code frames} each, without reset; a repeated condition gets its own row. */
    public EvalStream continual(List<Condition> order, int frames) {
        FrameRenderer renderer = renderer(CONTINUAL);
        Map<String, Integer> times = new HashMap<>();
        List<EvalStream.Block> blocks = new ArrayList<>();
        for (Condition c : order) {
            int k = times.merge(c.label(), 1, Integer::sum);
            String row = k == 1 ? c.label() : c.label() + " (" + ordinal(k) + " time)";
            blocks.add(new EvalStream.Block(row, c, render(renderer, c, frames)));
        }
        return new EvalStream("continual", blocks);
    }

    /**
     * {@code a} and {@code b} alternating in blocks of {@code blockFrames}, {@code cycles} times each (starting with
     * {@code a}); {@code probeFrames} held-out frames of each condition are predicted every {@code probeEvery} frames.
     */
    public EvalStream cyclic(Condition a, Condition b, int blockFrames, int cycles, int probeFrames, int probeEvery) {
        if (a.equals(b)) {
            throw new IllegalArgumentException("the cyclic stream needs two different conditions, got " + a + " twice");
        }
        FrameRenderer renderer = renderer(CYCLIC);
        List<EvalStream.Block> blocks = new ArrayList<>();
        for (int i = 0; i < cycles; i++) {
            blocks.add(new EvalStream.Block(a.label(), a, render(renderer, a, blockFrames)));
            blocks.add(new EvalStream.Block(b.label(), b, render(renderer, b, blockFrames)));
        }
        FrameRenderer held = renderer(PROBES);
        Map<String, List<EvalFrame>> probes = new LinkedHashMap<>();
        probes.put(a.label(), render(held, a, probeFrames));
        probes.put(b.label(), render(held, b, probeFrames));
        return new EvalStream("cyclic", blocks, probeFrames == 0 ? null : new EvalStream.Probes(probeEvery, probes));
    }

    private FrameRenderer renderer(long stream) {
        return new FrameRenderer(SplitMix64.derive(seed, stream).nextLong(), width, height);
    }

    private static List<EvalFrame> render(FrameRenderer renderer, Condition c, int frames) {
        List<EvalFrame> list = new ArrayList<>(frames);
        for (int i = 0; i < frames; i++) {
            list.add(renderer.next(c));
        }
        return list;
    }

    private static String ordinal(int k) {
        return switch (k) {
            case 2 -> "2nd";
            case 3 -> "3rd";
            default -> k + "th";
        };
    }
}
