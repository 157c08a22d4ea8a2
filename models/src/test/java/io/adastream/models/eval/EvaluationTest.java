package io.adastream.models.eval;

import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.stats.policy.Policies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluationTest {

    private static EvalModel model;

    @BeforeAll
    static void open() throws Exception {
        model = TinyModel.open();
    }

    @AfterAll
    static void close() throws Exception {
        model.close();
    }

    private static EvalOptions small() {
        return EvalOptions.defaults().withFrames(6).withBatches(List.of(1, 4))
                .withCyclic(Condition.CLEAN, Condition.parse("fog-5"), 2, 2, 4);
    }

    @Test
    void sameSeedGivesTheSameTable() throws Exception {
        EvalResults a = new Evaluation(model, small(), ProgressListener.NONE).run();
        EvalResults b = new Evaluation(model, small(), ProgressListener.NONE).run();
        assertEquals(a.cells().size(), b.cells().size());
        for (int i = 0; i < a.cells().size(); i++) {
            CellResult x = a.cells().get(i);
            CellResult y = b.cells().get(i);
            assertEquals(x.accuracy(), y.accuracy(), x.stream() + " " + x.policy());
            assertEquals(x.probeOther(), y.probeOther());
            assertEquals(x.probeCurrent(), y.probeCurrent());
            assertEquals(x.shifts(), y.shifts());
        }
        assertEquals(withoutTimes(MarkdownReport.render(a, "cmd")), withoutTimes(MarkdownReport.render(b, "cmd")));
        EvalResults c = new Evaluation(model, small().withSeed(99).withStreams(java.util.Set.of(StreamKind.CONTINUAL)),
                ProgressListener.NONE).run();
        CellResult first = a.cell(StreamKind.CONTINUAL, 1, AdaptationMode.FUSED, "source");
        assertNotEquals(first.accuracy(), c.cell(StreamKind.CONTINUAL, 1, AdaptationMode.FUSED, "source").accuracy());
    }

    /** Drops the timing numbers (ms/frame rows, the fused vs two-pass table's ms columns, the run time). */
    private static String withoutTimes(String md) {
        return md.lines().filter(l -> !l.startsWith("| ms/frame") && !l.contains("Took"))
                .map(l -> l.matches("\\| [a-z-]+ \\|( [0-9.–]+ \\|){6}") ? l.replaceAll("( [0-9.–]+ \\|){2}$", "") : l)
                .reduce("", (x, y) -> x + y + "\n");
    }

    @Test
    void sourceAndAdaBnDifferOnAShiftedStream() throws Exception {
        EvalStreams streams = new EvalStreams(3, TinyModel.SIZE, TinyModel.SIZE);
        EvalStream shifted = streams.singleDomain(streams.singleDomainScenes(12), Condition.parse("low_light-5"));
        StreamReplay replay = new StreamReplay(model);
        CellResult source = replay.run(shifted, "source", Policies.create("source"), 1, AdaptationMode.FUSED);
        CellResult adabn = replay.run(shifted, "adabn", Policies.create("adabn"), 1, AdaptationMode.FUSED);
        CellResult again = replay.run(shifted, "source", Policies.create("source"), 1, AdaptationMode.FUSED);
        double s = source.accuracy("low_light-5");
        double a = adabn.accuracy("low_light-5");
        assertFalse(Double.isNaN(s) || Double.isNaN(a));
        assertNotEquals(s, a, 1e-6);
        assertEquals(s, again.accuracy("low_light-5"));
        assertEquals(12, source.frames());
        assertTrue(source.msPerFrame() > 0);
    }

    @Test
    void theOracleUsesTheStreamsOwnFixedPointStatistics() throws Exception {
        EvalStreams streams = new EvalStreams(3, TinyModel.SIZE, TinyModel.SIZE);
        EvalStream shifted = streams.singleDomain(streams.singleDomainScenes(12), Condition.parse("low_light-5"));
        StreamReplay replay = new StreamReplay(model);
        CellResult oracle = replay.oracle(shifted);
        assertEquals(12, oracle.frames());
        assertEquals(StreamReplay.ORACLE, oracle.policy());
        double source = replay.run(shifted, "source", Policies.create("source"), 1, AdaptationMode.FUSED).accuracy("low_light-5");
        assertNotEquals(source, oracle.accuracy("low_light-5"), 1e-6);
        assertEquals(oracle.accuracy("low_light-5"), replay.oracle(shifted).accuracy("low_light-5"), "deterministic");
        // after as many passes as BatchNorm layers the iteration is at its fixed point: one more pass does not move
        // the statistics, which are far from the source's; layer 0 sees the input only, so its pooled moments are
        // right from the first pass whatever the fed statistics
        List<EvalFrame> frames = shifted.blocks().get(0).frames();
        try (var runner = model.newRunner(AdaptationMode.FUSED)) {
            float[][][] s = replay.sourceStatistics();
            float[][][] first = replay.pooledMoments(runner, frames, s).statistics();
            float[][][] k = first;
            for (int i = 1; i < replay.oraclePasses(); i++) {
                k = replay.pooledMoments(runner, frames, k).statistics();
            }
            float[][][] next = replay.pooledMoments(runner, frames, k).statistics();
            for (int c = 0; c < s[0][0].length; c++) {
                assertEquals(first[0][0][c], k[0][0][c], 1e-6 * Math.max(1, Math.abs(k[0][0][c])));
            }
            double step = StreamReplay.largestRelativeChange(k, next);
            double fromSource = StreamReplay.largestRelativeChange(s, k);
            assertTrue(step < 1e-3 && fromSource > 0.1, "fixed point: last step " + step + ", distance from source " + fromSource);
        }
    }

    @Test
    void batchesOfEightCoverEveryFrameIncludingAPartialLastBatch() throws Exception {
        EvalStreams streams = new EvalStreams(3, TinyModel.SIZE, TinyModel.SIZE);
        EvalStream s = streams.continual(List.of(Condition.CLEAN, Condition.parse("contrast-5")), 10);
        CellResult r = new StreamReplay(model).run(s, "ema", Policies.create("ema"), 8, AdaptationMode.TWO_PASS);
        assertEquals(20, r.frames());
        assertEquals(2, r.accuracy().size());
    }

    @Test
    void progressLinePerCellAndAReportWithTablesAndTargets() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream progress = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        EvalResults r = new Evaluation(model, small(), ProgressListener.lines(progress, "mIoU")).run();
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(r.cells().size(), lines.size());
        assertTrue(lines.get(0).startsWith("[   1/" + r.cells().size() + "] single"), lines.get(0));
        assertTrue(lines.get(lines.size() - 1).contains("cyclic"), lines.get(lines.size() - 1));
        // 25 domains x 2 batches x (7 policies + the oracle), fused vs two-pass on 13 domains x 3 policies,
        // 2 x 7 continual and cyclic
        assertEquals(25 * 2 * 8 + 13 * 3 + 2 * 7 + 2 * 7, r.cells().size());

        String md = MarkdownReport.render(r, "adastream eval --model tiny.json");
        assertTrue(md.contains("## One domain at a time, batch 1"));
        assertTrue(md.contains("## Continual, batch 4"));
        assertTrue(md.contains("## Cyclic clean ↔ fog-5, batch 1"));
        assertTrue(md.contains("## Fused vs two-pass, batch 1"));
        assertTrue(md.contains("| domain | source | adabn | ema | momentum-decay | source-prior | prior-decay | balanced | oracle |"));
        assertTrue(md.contains("| **mean severity 5** |"));
        assertTrue(md.contains("| ms/frame |"));
        long targets = md.lines().filter(l -> l.startsWith("- **PASS**") || l.startsWith("- **MISS**")).count();
        assertEquals(6, targets, md);
        CellResult cyclic = r.cell(StreamKind.CYCLIC, 1, AdaptationMode.FUSED, "balanced");
        assertNotNull(cyclic);
        assertEquals(Map.of().size() + 2, cyclic.probeOther().size());
    }
}
