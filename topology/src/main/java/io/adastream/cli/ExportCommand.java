package io.adastream.cli;

import io.adastream.adapt.export.DomainModelExporter;
import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.ModelFormatException;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.SnapshotCodec;
import io.adastream.adapt.stats.SnapshotFormatException;
import io.adastream.adapt.stats.SourceStatistics;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code adastream export --snapshot FILE --model MODEL.onnx --out DOMAIN.onnx}: bakes a domain snapshot's
 * statistics into a standard ONNX model.
 */
final class ExportCommand implements AdaStreamCli.Command {

    @Override
    public String usage() {
        return "export --snapshot FILE --model MODEL.onnx --out DOMAIN.onnx [--domain ID]\n"
                + "                                write the model with a domain snapshot's statistics baked in";
    }

    @Override
    public int run(String[] args, PrintStream out) throws Exception {
        String snapshot = null;
        String modelFile = null;
        String outFile = null;
        String domain = null;
        for (int i = 0; i < args.length; i++) {
            if (i + 1 >= args.length) {
                throw new UsageException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--snapshot" -> snapshot = args[++i];
                case "--model" -> modelFile = args[++i];
                case "--out" -> outFile = args[++i];
                case "--domain" -> domain = args[++i];
                default -> throw new UsageException("unknown argument " + args[i]);
            }
        }
        if (snapshot == null || modelFile == null || outFile == null) {
            throw new UsageException("expected --snapshot FILE --model MODEL.onnx --out DOMAIN.onnx");
        }
        OnnxModel model = ModelFiles.load(modelFile);
        AdaptiveModel adaptive;
        try {
            adaptive = AdaptiveGraphRewriter.rewrite(model);
        } catch (ModelFormatException e) {
            throw new UsageException(modelFile + ": " + e.getMessage(), e);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Path.of(snapshot));
        } catch (NoSuchFileException e) {
            throw new UsageException(snapshot + ": no such file");
        } catch (IOException e) {
            throw new UsageException(snapshot + ": cannot read: " + e.getMessage());
        }
        DomainState state;
        try {
            state = SnapshotCodec.read(bytes, SourceStatistics.of(adaptive));
        } catch (SnapshotFormatException e) {
            throw new UsageException(snapshot + ": " + e.getMessage(), e);
        }
        int layers = adaptive.layerCount();
        float[][] mean = new float[layers][];
        float[][] var = new float[layers][];
        for (int l = 0; l < layers; l++) {
            mean[l] = state.fedMean(l).clone();
            var[l] = state.fedVar(l).clone();
        }
        String label = domain != null ? domain : Path.of(snapshot).getFileName().toString();
        byte[] exported = DomainModelExporter.export(model, adaptive.layers(), mean, var, label);
        try {
            Files.write(Path.of(outFile), exported);
        } catch (IOException e) {
            throw new UsageException(outFile + ": cannot write: " + e.getMessage());
        }
        out.printf("wrote %s: %d BatchNormalization layers with the statistics of '%s' (%d frames, policy %s)%n",
                outFile, layers, label, state.frameCount(), state.policy().name());
        return AdaStreamCli.OK;
    }
}
