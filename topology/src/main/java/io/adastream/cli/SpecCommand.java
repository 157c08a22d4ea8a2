package io.adastream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import ai.onnxruntime.OrtException;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.models.spec.ModelSignature;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.spec.ModelSpecException;
import io.adastream.models.spec.SpecDraft;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code adastream spec MODEL.onnx --task detection|segmentation --out SPEC.json}: writes a starting model spec from
 * the model's inputs and outputs, with the output format guessed from the output shapes and why, for the user to edit.
 */
@Command(name = "spec",
        description = "Write a starting model spec from the model's inputs and outputs: the output format guessed "
                + "from the output shapes (and why), placeholders for what the graph cannot tell. Edit it, then run.")
final class SpecCommand implements java.util.concurrent.Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "the ONNX model")
    Path model;

    @Option(names = "--task", paramLabel = "detection|segmentation", required = true, description = "what the model does")
    String task;

    @Option(names = "--format", paramLabel = "NAME",
            description = "the output format, instead of guessing it: grid, yolov5, yolov8, ssd, nms-included "
                    + "(detection); logits, class-ids (segmentation)")
    String format;

    @Option(names = "--classes", paramLabel = "FILE",
            description = "class names, one a line (a detector's without background: it is added)")
    Path classes;

    @Option(names = "--out", paramLabel = "SPEC.json", required = true, description = "where the spec is written")
    Path out;

    private final CommandContext context;

    SpecCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        OnnxModel onnx = ModelFiles.load(model);
        List<String> names = classes == null ? null : readClasses();
        SpecDraft draft;
        try {
            ModelSignature signature = ModelSignature.of(onnx.proto().toByteArray(), onnx.proto().getGraph());
            String file = modelPathFromSpec();
            String name = model.getFileName().toString().replaceFirst("\\.onnx$", "");
            draft = SpecDraft.draft(signature, file, name, task, format, names);
        } catch (ModelSpecException e) {
            throw new UsageException(model + ": " + e.getMessage(), e);
        } catch (OrtException e) {
            throw new UsageException(model + ": ONNX Runtime cannot open it: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        byte[] json = JSON.writeValueAsBytes(draft.json());
        try {
            ModelSpec.parse(new java.io.ByteArrayInputStream(json), out.toString());
        } catch (ModelSpecException e) {
            throw new IllegalStateException("the drafted spec does not load: " + e.getMessage(), e);
        }
        try {
            Files.write(out, json);
        } catch (IOException e) {
            throw new UsageException(out + ": cannot write: " + e.getMessage());
        }
        PrintStream p = context.out();
        p.printf("wrote %s%n", out);
        p.printf("format: %s (%s)%n", draft.format().specName(), format != null ? "as given" : "guessed");
        p.printf("why:    %s%n", draft.why());
        for (String c : draft.check()) {
            p.printf("check:  %s%n", c);
        }
        p.printf("next:   edit %s, then adastream check %s; serve it with model.spec=%s%n", out, model, out);
        return AdaStreamCli.OK;
    }

    private List<String> readClasses() throws UsageException {
        try {
            List<String> lines = Files.readAllLines(classes).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
            if (lines.isEmpty()) {
                throw new UsageException(classes + ": no class names in it");
            }
            return lines;
        } catch (NoSuchFileException e) {
            throw new UsageException(classes + ": no such file");
        } catch (IOException e) {
            throw new UsageException(classes + ": cannot read: " + e.getMessage());
        }
    }

    /** The model as the spec names it: relative to the spec's folder. */
    private String modelPathFromSpec() {
        Path specDir = out.toAbsolutePath().getParent();
        Path m = model.toAbsolutePath().normalize();
        try {
            return specDir.normalize().relativize(m).toString().replace('\\', '/');
        } catch (IllegalArgumentException e) {
            return m.toString();
        }
    }
}
