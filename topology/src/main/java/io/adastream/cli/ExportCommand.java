package io.adastream.cli;

import io.adastream.adapt.export.DomainModelExporter;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.SnapshotCodec;
import io.adastream.adapt.stats.SnapshotFormatException;
import io.adastream.adapt.stats.SourceStatistics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code adastream export --snapshot FILE --model MODEL.onnx --out DOMAIN.onnx}: bakes a domain snapshot's
 * statistics into a standard ONNX model.
 */
@Command(name = "export", description = "Write the model with a domain snapshot's statistics baked in: a standard "
        + "ONNX model for that domain, e.g. for an edge device.")
final class ExportCommand implements Callable<Integer> {

    @Option(names = "--snapshot", paramLabel = "FILE", required = true,
            description = "a domain snapshot (a record value of the snapshots topic)")
    Path snapshot;

    @Option(names = "--model", paramLabel = "MODEL.onnx", required = true, description = "the model the snapshot belongs to")
    Path model;

    @Option(names = "--out", paramLabel = "DOMAIN.onnx", required = true, description = "where the model is written")
    Path outFile;

    @Option(names = "--domain", paramLabel = "ID", description = "the domain's name in the model's metadata "
            + "(default: the snapshot's file name)")
    String domain;

    private final CommandContext context;

    ExportCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        OnnxModel onnx = ModelFiles.load(model);
        AdaptiveModel adaptive = ModelFiles.rewrite(model, onnx);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(snapshot);
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
        String label = domain != null ? domain : snapshot.getFileName().toString();
        byte[] exported = DomainModelExporter.export(onnx, adaptive.layers(), mean, var, label);
        try {
            Files.write(outFile, exported);
        } catch (IOException e) {
            throw new UsageException(outFile + ": cannot write: " + e.getMessage());
        }
        context.out().printf("wrote %s: %d BatchNormalization layers with the statistics of '%s' (%d frames, policy %s)%n",
                outFile, layers, label, state.frameCount(), state.policy().name());
        return AdaStreamCli.OK;
    }
}
