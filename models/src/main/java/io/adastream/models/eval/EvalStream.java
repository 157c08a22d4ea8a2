package io.adastream.models.eval;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A labelled stream replayed as one domain: blocks of frames, each under one condition and scored under a row
 * label (blocks may share a row, as the alternating blocks of a cyclic stream do), and optionally probe sets that
 * measure the current statistics on every condition without adapting to them.
 */
public record EvalStream(String name, List<Block> blocks, Probes probes) {

    /** Consecutive frames under one condition, scored under {@code row}. */
    public record Block(String row, Condition condition, List<EvalFrame> frames) {
        public Block {
            frames = List.copyOf(frames);
        }
    }

    /**
     * Held-out frames per condition label, predicted with the domain's statistics frozen (blend 0, no fold) after
     * every {@code every} stream frames, once every condition has been seen in the stream.
     */
    public record Probes(int every, Map<String, List<EvalFrame>> sets) {
        public Probes {
            if (every < 1) {
                throw new IllegalArgumentException("probe interval must be positive: " + every);
            }
            sets = Map.copyOf(sets);
        }
    }

    public EvalStream {
        blocks = List.copyOf(blocks);
    }

    /** A stream without probes. */
    public EvalStream(String name, List<Block> blocks) {
        this(name, blocks, null);
    }

    /** The row labels in order of first appearance. */
    public List<String> rows() {
        Set<String> rows = new LinkedHashSet<>();
        for (Block b : blocks) {
            rows.add(b.row());
        }
        return List.copyOf(rows);
    }

    /** Total frames over all blocks. */
    public int frameCount() {
        int n = 0;
        for (Block b : blocks) {
            n += b.frames().size();
        }
        return n;
    }
}
