package io.adastream.cli;

import io.adastream.adapt.calibrate.CalibrationException;
import io.adastream.adapt.calibrate.CalibrationOptions;
import io.adastream.adapt.calibrate.CalibrationResult;
import io.adastream.adapt.calibrate.Calibrator;
import io.adastream.adapt.calibrate.ConvSite;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.models.task.ImageFolderFrames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code adastream calibrate MODEL.onnx --spec SPEC.json --images DIR --out OUT.onnx}: puts back the BatchNorm
 * layers that export folded into the convolutions, with the statistics of the frames in DIR (see
 * {@link Calibrator}), and checks on a few of those frames that the calibrated model computes what the original did.
 */
@Command(name = "calibrate",
        description = "Recover the BatchNormalization layers folded into the convolutions at export: every "
                + "convolution that is not a head and lacks one gets a layer with the statistics of its output over "
                + "the frames in DIR (the identity on those frames), so that the model can be adapted.")
final class CalibrateCommand implements Callable<Integer> {

    /** Calibration frames compared between the original and the calibrated model after writing. */
    static final int VERIFIED_FRAMES = 4;

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "the exported ONNX model")
    Path model;

    @Option(names = "--spec", paramLabel = "SPEC.json", required = true,
            description = "the model spec whose input pre-processing the frames go through")
    Path spec;

    @Option(names = "--images", paramLabel = "DIR", required = true,
            description = "a folder of calibration images (JPEG, PNG, BMP, GIF), ideally of the training domain")
    Path images;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "256",
            description = "the most images to use, by file name (at least " + Calibrator.MIN_FRAMES + ")")
    int frames;

    @Option(names = "--out", paramLabel = "OUT.onnx", required = true, description = "the calibrated model to write")
    Path out;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "2", description = "ONNX Runtime intra-op threads (1..4096)")
    int threads;

    private final CommandContext context;

    CalibrateCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        Ranges.check("--frames", frames, 1, 1_000_000);
        Ranges.check("--threads", threads, 1, 4096);
        PrintStream stdout = context.out();
        PrintStream err = context.err();
        OnnxModel onnx = ModelFiles.load(model);
        SpecFrames.Loaded loaded = SpecFrames.open(spec, images, frames, onnx);
        ImageFolderFrames calibration = loaded.frames();
        CalibrationResult result;
        try {
            result = Calibrator.calibrate(onnx, calibration, CalibrationOptions.defaults().withThreads(threads)
                    .withProgress((done, total) -> {
                        if (done == total || done % 8 == 0) {
                            err.printf(Locale.ROOT, "\rcalibrating: %d/%d frames", done, total);
                            if (done == total) {
                                err.println();
                            }
                        }
                    }));
        } catch (CalibrationException e) {
            err.println();
            throw new UsageException(model + ": " + e.getMessage(), e);
        }
        try {
            Files.write(out, result.model().toByteArray());
        } catch (IOException e) {
            throw new UsageException(out + ": cannot write: " + e.getMessage());
        }
        int verified = Math.min(VERIFIED_FRAMES, calibration.count());
        double diff = OutputComparison.worst(onnx.proto(), result.model(),
                SpecFrames.tensors(calibration, verified), calibration.sampleShape(), threads);
        stdout.printf(Locale.ROOT, "model:      %s (%d convolutions)%n", model, result.convolutions().size());
        stdout.printf(Locale.ROOT, "frames:     %d from %s%n", result.frames(), images);
        stdout.printf(Locale.ROOT, "inserted:   %d BatchNormalization layers (epsilon %.0e)%n", result.inserted().size(),
                result.epsilon());
        stdout.printf(Locale.ROOT, "left alone: %d already followed by BatchNormalization, %d heads, %d with one spatial position%n",
                result.count(ConvSite.Role.NORMALIZED), result.count(ConvSite.Role.HEAD),
                result.count(ConvSite.Role.SINGLE_POSITION));
        stdout.printf(Locale.ROOT, "calibrated vs original on %d calibration frames: max scaled diff %.2e%n", verified, diff);
        stdout.printf(Locale.ROOT, "wrote %s%n", out);
        stdout.printf(Locale.ROOT, "next: adastream check %s --spec %s --images %s%n", out, spec, images);
        return diff <= CheckCommand.TOLERANCE ? AdaStreamCli.OK : AdaStreamCli.INTERNAL_ERROR;
    }
}
