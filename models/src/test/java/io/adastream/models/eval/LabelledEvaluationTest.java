package io.adastream.models.eval;

import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.stats.policy.Policies;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The labelled-folder harness on the tiny segmenter with two domains of rendered frames. */
class LabelledEvaluationTest {

    @Test
    void singleContinualOrdersSeriesAndTargetsAgree() throws Exception {
        LabelledPlan plan = DayAndFog.plan(7, 12, List.of("source", Policies.DEFAULT), 50, Set.of(0, 5));
        List<Integer> progress = new ArrayList<>();
        LabelledResults lr;
        try (EvalModel model = TinyModel.open()) {
            lr = new LabelledEvaluation(model, plan, (c, done, total, e, fd, ft) -> progress.add(total)).run();
        }
        EvalResults r = lr.results();
        // 2 domains x 2 conditions x (2 orders x 2 batches x (2 policies + oracle) + 2 batches x 1 two-pass) + 2 x 2 continual
        int cells = 2 * 2 * (2 * 2 * 3 + 2) + 4;
        assertEquals(cells, r.cells().size());
        assertEquals(cells, progress.size());
        assertTrue(progress.stream().allMatch(t -> t == cells));
        for (String d : List.of("day", "fog")) {
            String temporal = LabelledPlan.row(d, Condition.CLEAN, FrameOrder.TEMPORAL);
            String sorted = LabelledPlan.row(d, Condition.CLEAN, FrameOrder.DOMINANT_CLASS);
            // source never adapts and the oracle's statistics are the stream's: neither depends on order or batch
            double source = r.accuracy(StreamKind.SINGLE, 1, AdaptationMode.FUSED, "source", temporal);
            assertEquals(source, r.accuracy(StreamKind.SINGLE, 1, AdaptationMode.FUSED, "source", sorted), 1e-12);
            assertEquals(source, r.accuracy(StreamKind.SINGLE, 4, AdaptationMode.FUSED, "source", sorted), 1e-12);
            assertEquals(r.accuracy(StreamKind.SINGLE, 1, AdaptationMode.FUSED, StreamReplay.ORACLE, temporal),
                    r.accuracy(StreamKind.SINGLE, 4, AdaptationMode.FUSED, StreamReplay.ORACLE, sorted), 1e-12);
            // the continual stream's source rows are the single-domain source accuracies
            assertEquals(source, r.accuracy(StreamKind.CONTINUAL, 1, AdaptationMode.FUSED, "source", d), 1e-12);
            assertFalse(Double.isNaN(r.accuracy(StreamKind.SINGLE, 1, AdaptationMode.TWO_PASS, "adabn", temporal)));
        }
        assertEquals(r.accuracy(StreamKind.CONTINUAL, 1, AdaptationMode.FUSED, "source", "day"),
                r.accuracy(StreamKind.CONTINUAL, 1, AdaptationMode.FUSED, "source", "day (2nd time)"), 1e-12);
        // a row's series: one value per frame; with a window longer than the row the last rolling value is the row's
        CellResult cell = r.cell(StreamKind.SINGLE, 1, AdaptationMode.FUSED, Policies.DEFAULT);
        String row = cell.accuracy().keySet().iterator().next();
        RowSeries s = cell.series(row);
        assertEquals(12, s.frameAccuracy().length);
        assertEquals(12, s.rollingAccuracy().length);
        assertEquals(cell.accuracy(row), s.rollingAccuracy()[11], 1e-12);
        assertEquals(s.frameAccuracy()[0], s.rollingAccuracy()[0], 1e-12);
        assertEquals(Set.of(0, 5), s.kept().keySet());
        assertEquals(TinyModel.SIZE * TinyModel.SIZE, ((io.adastream.models.task.TaskResult.Segmentation) s.kept().get(0)).mask().length);
        // the report has every table and a verdict for every target
        String md = LabelledReport.render(lr, null);
        assertTrue(md.contains("## One domain at a time, batch 4, two-pass"), md);
        assertTrue(md.contains("| day, dominant-class order |"), md);
        assertTrue(md.contains("| fog low_light-3 |"), md);
        assertTrue(md.contains("## Continual day → fog → day, batch 1, fused"), md);
        assertTrue(md.contains("## Per-class IoU on fog, batch 1, fused"), md);
        List<TargetChecks.Target> targets = LabelledTargets.check(lr);
        assertTrue(targets.stream().noneMatch(t -> t.met() == null), targets.toString());
        // per batch: fog near the oracle, continual fog, day (2 orders) no policy below source, day recovery at
        // severity 3, default not below source on 4 clean streams
        assertEquals(2 * (1 + 1 + 2 + 1 + 4), targets.size());
    }
}
