package io.adastream.trainer.camvid;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.adastream.models.metrics.SegmentationConfusion;
import io.adastream.trainer.TrainingLoop;
import io.adastream.trainer.data.InputNormalization;
import io.adastream.trainer.loss.MaskedPixelCrossEntropyLoss;
import io.adastream.trainer.nn.UNet;
import io.adastream.trainer.onnx.OnnxExport;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;

/**
 * Trains the CamVid source segmenter on the day sequences only ({@link CamVidSequences#DAY_TRAINING}, train and val
 * splits), scores it on the held-out day drive ({@link CamVidSequences#DAY_HELD_OUT}) and on dusk
 * ({@link CamVidSequences#DUSK}, unadapted: the size of the shift), exports it with BatchNormalization kept and
 * folded, checks both exports in ONNX Runtime against each other, and builds their specs. Progress goes to the log.
 */
public final class CamVidTraining {
    /** Graph output name. */
    public static final String OUTPUT = "logits";
    /** Seed of the engine's weight initialization. */
    static final int ENGINE_SEED = 42;
    /** The per-epoch monitor scores every this many held-out day frames (printed only; no model selection). */
    static final int MONITOR_STEP = 8;

    private final PrintStream log;

    public CamVidTraining(PrintStream log) {
        this.log = log;
    }

    /** The untrained network of a plan. */
    public static UNet network(CamVidPlan plan) {
        return new UNet(CamVidClasses.COUNT, plan.widths());
    }

    public CamVidModel run(CamVidFolder folder, CamVidPlan plan) throws OrtException {
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        Engine.getInstance().setRandomSeed(ENGINE_SEED);
        CamVidLoader loader = new CamVidLoader(plan.width(), plan.height(), InputNormalization.MEAN,
                InputNormalization.STD);
        CamVidSet train = loader.load(folder.frames(List.of("train", "val"), Set.copyOf(CamVidSequences.DAY_TRAINING)))
                .everyNth(plan.frameStep());
        for (CamVidFrame f : train.frames()) {
            if (!CamVidSequences.DAY_TRAINING.contains(CamVidSequences.of(f.name()))) {
                throw new IllegalStateException("a non-day frame got into training: " + f.name());
            }
        }
        CamVidSet day = loader.load(folder.frames(List.of("test"), Set.of(CamVidSequences.DAY_HELD_OUT)))
                .everyNth(plan.frameStep());
        CamVidSet dusk = loader.load(folder.frames(List.of("train", "test"), Set.of(CamVidSequences.DUSK)))
                .everyNth(plan.frameStep());
        log.printf("loaded %d day training frames %s, %d held-out day frames (%s), %d dusk frames (%s) at %dx%d"
                        + " in %.1fs%n", train.size(), CamVidSequences.DAY_TRAINING, day.size(),
                CamVidSequences.DAY_HELD_OUT, dusk.size(), CamVidSequences.DUSK, plan.width(), plan.height(),
                seconds(start));
        float[] weights = CamVidBatchEncoder.classWeights(train);
        log.printf("class weights %s%n", java.util.Arrays.toString(weights));

        try (Model model = Model.newInstance(CamVidModel.NAME)) {
            UNet net = network(plan);
            model.setBlock(net);
            CamVidSet monitor = day.everyNth(MONITOR_STEP);
            long trainStart = System.nanoTime();
            long trainCpuStart = processCpuNanos();
            int[] epochsRun = new int[1];
            new TrainingLoop(log).train("camvid", model, new MaskedPixelCrossEntropyLoss(weights), train.frames(),
                    new Shape(3, plan.height(), plan.width()),
                    new CamVidBatchEncoder(plan.width(), plan.height(), plan.settings().seed()), plan.settings(),
                    () -> {
                        epochsRun[0]++;
                        return String.format("%s mIoU (%d frames) %.3f", CamVidSequences.DAY_HELD_OUT,
                                monitor.size(), CamVidEvaluation.measure(net, model.getNDManager(), monitor)
                                        .meanIoU());
                    });
            double trainSeconds = seconds(trainStart);
            double trainCpuSeconds = (processCpuNanos() - trainCpuStart) / 1e9;
            log.printf("trained %d epochs in %.0fs wall, %.0fs CPU%n", epochsRun[0], trainSeconds, trainCpuSeconds);

            SegmentationConfusion dayScore = CamVidEvaluation.measure(net, model.getNDManager(), day);
            SegmentationConfusion duskScore = CamVidEvaluation.measure(net, model.getNDManager(), dusk);
            long[] outputDims = {CamVidClasses.COUNT, plan.height(), plan.width()};
            String doc = "AdaStream CamVid source segmenter: U-Net trained on the CamVid day sequences "
                    + CamVidSequences.DAY_TRAINING;
            ModelProto kept = OnnxExport.export(net, "adastream_camvid_segmenter", plan.width(), plan.height(),
                    OnnxExport.BatchNorm.KEEP, OUTPUT, outputDims, doc);
            ModelProto folded = OnnxExport.export(net, "adastream_camvid_segmenter_folded", plan.width(),
                    plan.height(), OnnxExport.BatchNorm.FOLD, OUTPUT, outputDims,
                    doc + ", BatchNormalization folded into the convolutions");

            OrtEnvironment ort = OrtEnvironment.getEnvironment();
            byte[] keptBytes = kept.toByteArray();
            byte[] foldedBytes = folded.toByteArray();
            SegmentationConfusion ortDay = CamVidEvaluation.measure(ort, keptBytes, OnnxExport.INPUT_NAME, OUTPUT,
                    day);
            SegmentationConfusion ortFoldedDay = CamVidEvaluation.measure(ort, foldedBytes, OnnxExport.INPUT_NAME,
                    OUTPUT, day);
            float[] foldDiff = CamVidEvaluation.maxAbsDifference(ort, keptBytes, foldedBytes, OnnxExport.INPUT_NAME,
                    OUTPUT, day);
            log.printf("ONNX Runtime on %s: BN kept mIoU %.4f, BN folded mIoU %.4f; max |kept - folded| logit %.3g"
                            + " (max |logit| %.3g)%n", CamVidSequences.DAY_HELD_OUT, ortDay.meanIoU(),
                    ortFoldedDay.meanIoU(), foldDiff[0], foldDiff[1]);

            CamVidSpecs.Provenance provenance = new CamVidSpecs.Provenance(train.size(), epochsRun[0], weights,
                    trainSeconds, trainCpuSeconds, seconds(start), (processCpuNanos() - cpuStart) / 1e9,
                    UNet.batchNormLayers(plan.widths().length));
            CamVidSpecs.Scores scores = new CamVidSpecs.Scores(dayScore, day.size(), duskScore, dusk.size(),
                    ortDay.meanIoU(), ortFoldedDay.meanIoU(), foldDiff[0]);
            return new CamVidModel(kept, folded,
                    CamVidSpecs.spec(plan, CamVidModel.NAME, false, provenance, scores),
                    CamVidSpecs.spec(plan, CamVidModel.FOLDED_NAME, true, provenance, scores));
        }
    }

    /** CPU time of this process (all threads), or -1 where the JVM does not tell. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
