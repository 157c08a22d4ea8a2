package io.adastream.cli;

import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.BatchNormInspector;
import io.adastream.adapt.onnx.BatchNormLayer;
import io.adastream.adapt.onnx.ModelFormatException;
import io.adastream.adapt.onnx.ModelInspection;
import io.adastream.adapt.onnx.OnnxModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code adastream inspect MODEL.onnx}: lists the BatchNormalization layers and says whether the model can be adapted. */
@Command(name = "inspect",
        description = "List the BatchNormalization layers of a model and say whether it can be adapted "
                + "(exit code 2 when it cannot).")
final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "the ONNX model")
    Path model;

    private final CommandContext context;

    InspectCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = context.out();
        OnnxModel onnx = ModelFiles.load(model);
        ModelInspection inspection = BatchNormInspector.inspect(onnx);
        out.printf(Locale.ROOT, "model:    %s%nopset:    %d%nsha256:   %s%n", model, inspection.opset(), inspection.fingerprintHex());
        out.printf(Locale.ROOT, "BatchNormalization: %d adaptable layers (%d channels), %d left as they are%n",
                inspection.layers().size(), inspection.totalChannels(), inspection.skipped().size());
        if (!inspection.layers().isEmpty()) {
            out.printf(Locale.ROOT, "%4s  %-28s %-24s %-24s %8s %9s %10s %10s%n",
                    "#", "node", "input", "output", "channels", "epsilon", "mean(avg)", "var(avg)");
            for (BatchNormLayer l : inspection.layers()) {
                out.printf(Locale.ROOT, "%4d  %-28s %-24s %-24s %8d %9.1e %10.4f %10.4f%n", l.index(),
                        clip(l.displayName()), clip(l.input()), clip(l.output()), l.channels(), l.epsilon(),
                        average(l.sourceMean()), average(l.sourceVar()));
            }
        }
        for (ModelInspection.SkippedNode s : inspection.skipped()) {
            out.println("  skipped " + s.nodeName() + ": " + s.reason());
        }
        try {
            AdaptiveGraphRewriter.rewrite(onnx);
            out.println("adaptable: yes");
            out.println(nextCommand(inspection));
            return AdaStreamCli.OK;
        } catch (ModelFormatException e) {
            out.println("adaptable: no: " + e.getMessage());
            if (e.reason() == ModelFormatException.Reason.NO_BATCHNORM) {
                out.println(nextCommand(inspection));
            }
            // the reason also goes to standard error as the one line of a refusal (exit code 2)
            throw new UsageException(model + ": cannot be adapted: " + e.getMessage(), e);
        }
    }

    /** What to run next: calibration when BatchNorm was folded away at export, else a spec to serve the model. */
    private String nextCommand(ModelInspection inspection) {
        if (inspection.layers().isEmpty()) {
            return "next: adastream calibrate " + model + " --spec SPEC.json --images DIR --out CALIBRATED.onnx"
                    + "  (no BatchNormalization left: it was folded into the convolutions; calibration puts it back;"
                    + " write SPEC.json first with adastream spec)";
        }
        return "next: adastream spec " + model + " --task detection|segmentation --out SPEC.json";
    }

    private static String clip(String s) {
        return s.length() <= 24 ? s : s.substring(0, 11) + ".." + s.substring(s.length() - 11);
    }

    private static double average(float[] v) {
        double sum = 0;
        for (float f : v) {
            sum += f;
        }
        return v.length == 0 ? 0 : sum / v.length;
    }
}
