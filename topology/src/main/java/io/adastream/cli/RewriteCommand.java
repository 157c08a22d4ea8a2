package io.adastream.cli;

import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.AdaptiveNames;
import io.adastream.adapt.onnx.ModelFormatException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code adastream rewrite MODEL.onnx OUT.onnx}: writes the adaptive model. */
final class RewriteCommand implements AdaStreamCli.Command {

    @Override
    public String usage() {
        return "rewrite MODEL.onnx OUT.onnx   write the adaptive model (per-sample statistics in, moments out)";
    }

    @Override
    public int run(String[] args, PrintStream out) throws Exception {
        if (args.length != 2) {
            throw new UsageException("expected two arguments: MODEL.onnx OUT.onnx");
        }
        AdaptiveModel adaptive;
        try {
            adaptive = AdaptiveGraphRewriter.rewrite(ModelFiles.load(args[0]));
        } catch (ModelFormatException e) {
            throw new UsageException(args[0] + ": " + e.getMessage(), e);
        }
        try {
            Files.write(Path.of(args[1]), adaptive.adaptiveBytes());
        } catch (IOException e) {
            throw new UsageException(args[1] + ": cannot write: " + e.getMessage());
        }
        int last = adaptive.layerCount() - 1;
        out.printf("wrote %s: %d adaptive layers (%d channels)%n", args[1], adaptive.layerCount(), adaptive.totalChannels());
        out.printf("added inputs:  %s [N,L], %s .. %s and %s .. %s [N,C_l]%n", AdaptiveNames.BLEND,
                AdaptiveNames.mean(0), AdaptiveNames.mean(last), AdaptiveNames.var(0), AdaptiveNames.var(last));
        out.printf("added outputs: %s .. %s and %s .. %s [N,C_l]%n", AdaptiveNames.momentMean(0),
                AdaptiveNames.momentMean(last), AdaptiveNames.momentVar(0), AdaptiveNames.momentVar(last));
        return AdaStreamCli.OK;
    }
}
