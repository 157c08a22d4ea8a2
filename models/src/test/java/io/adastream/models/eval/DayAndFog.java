package io.adastream.models.eval;

import io.adastream.adapt.inference.AdaptationMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The labelled-folder tests' plan on the tiny segmenter: two domains of rendered frames, "day" (clean) and "fog"
 * (fog-5), under clean and low_light-3, in temporal and dominant-class order, continual day → fog → day, batch 1
 * and 4, fused with {@code adabn} also in two-pass.
 */
final class DayAndFog {

    private DayAndFog() {
    }

    static LabelledPlan plan(long seed, int frames, List<String> policies, int window, Set<Integer> seriesFrames) {
        FrameRenderer renderer = new FrameRenderer(seed, TinyModel.SIZE, TinyModel.SIZE);
        List<EvalFrame> day = new ArrayList<>();
        List<EvalFrame> fog = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            day.add(renderer.next(Condition.CLEAN));
            fog.add(renderer.next(Condition.parse("fog-5")));
            names.add("f" + i);
        }
        return new LabelledPlan("tiny", List.of(new LabelledDomain("day", day, names),
                new LabelledDomain("fog", fog, names)), List.of(Condition.CLEAN, Condition.parse("low_light-3")),
                List.of(FrameOrder.TEMPORAL, FrameOrder.DOMINANT_CLASS), List.of("day", "fog", "day"), Set.of("day"),
                policies, List.of(1, 4), AdaptationMode.FUSED, List.of("adabn"), 1, 3, window, seriesFrames, 0);
    }
}
