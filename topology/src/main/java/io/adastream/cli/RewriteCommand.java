package io.adastream.cli;

import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.AdaptiveNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code adastream rewrite MODEL.onnx OUT.onnx}: writes the adaptive model. */
@Command(name = "rewrite",
        description = "Write the adaptive model: per-sample statistics and blend weights in, batch moments out.")
final class RewriteCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "the ONNX model")
    Path model;

    @Parameters(index = "1", paramLabel = "OUT.onnx", description = "where the adaptive model is written")
    Path outFile;

    private final CommandContext context;

    RewriteCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        AdaptiveModel adaptive = ModelFiles.rewrite(model, ModelFiles.load(model));
        try {
            Files.write(outFile, adaptive.adaptiveBytes());
        } catch (IOException e) {
            throw new UsageException(outFile + ": cannot write: " + e.getMessage());
        }
        PrintStream out = context.out();
        int last = adaptive.layerCount() - 1;
        out.printf("wrote %s: %d adaptive layers (%d channels)%n", outFile, adaptive.layerCount(), adaptive.totalChannels());
        out.printf("added inputs:  %s [N,L], %s .. %s and %s .. %s [N,C_l]%n", AdaptiveNames.BLEND,
                AdaptiveNames.mean(0), AdaptiveNames.mean(last), AdaptiveNames.var(0), AdaptiveNames.var(last));
        out.printf("added outputs: %s .. %s and %s .. %s [N,C_l]%n", AdaptiveNames.momentMean(0),
                AdaptiveNames.momentMean(last), AdaptiveNames.momentVar(0), AdaptiveNames.momentVar(last));
        return AdaStreamCli.OK;
    }
}
