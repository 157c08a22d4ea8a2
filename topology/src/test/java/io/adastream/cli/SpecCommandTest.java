package io.adastream.cli;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adastream.adapt.testing.ReferenceNetworks;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.spec.OutputFormat;
import io.adastream.models.task.TaskAdapter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code adastream spec} on hand-built models of each output family and on the real models in ../shared/data. */
class SpecCommandTest {

    @TempDir
    Path dir;

    private final CliRunner cli = new CliRunner();

    /** A model with image input [1, 3, h, w] whose outputs are constants (zeros) of the given shapes, by name. */
    static ModelProto constants(int h, int w, int elemType, Object... namesAndShapes) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("g");
        g.addInput(value("image", TensorProto.DataType.FLOAT_VALUE, 1, 3, h, w));
        for (int i = 0; i < namesAndShapes.length; i += 2) {
            String name = (String) namesAndShapes[i];
            long[] shape = (long[]) namesAndShapes[i + 1];
            TensorProto.Builder dims = TensorProto.newBuilder().setName(name + "_shape")
                    .setDataType(TensorProto.DataType.INT64_VALUE).addDims(shape.length);
            for (long d : shape) {
                dims.addInt64Data(d);
            }
            g.addInitializer(dims);
            TensorProto zero = TensorProto.newBuilder().setDataType(elemType).addDims(1)
                    .addFloatData(0f).build();
            if (elemType == TensorProto.DataType.INT64_VALUE) {
                zero = TensorProto.newBuilder().setDataType(elemType).addDims(1).addInt64Data(0).build();
            }
            g.addNode(NodeProto.newBuilder().setOpType("ConstantOfShape").addInput(name + "_shape").addOutput(name)
                    .addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR).setT(zero)));
            g.addOutput(value(name, elemType, shape));
        }
        return ModelProto.newBuilder().setIrVersion(7).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13))
                .setGraph(g).build();
    }

    private static ValueInfoProto value(String name, int elemType, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape))).build();
    }

    private static ModelProto floats(int h, int w, Object... namesAndShapes) {
        return constants(h, w, TensorProto.DataType.FLOAT_VALUE, namesAndShapes);
    }

    private Path write(String name, ModelProto model) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, model.toByteArray());
        return p;
    }

    /** Runs spec and returns the written spec, checked to load and to give a working task adapter. */
    private ModelSpec spec(Path model, String task, String... more) throws Exception {
        Path out = dir.resolve(model.getFileName() + ".json");
        List<String> args = new java.util.ArrayList<>(List.of("spec", model.toString(), "--task", task, "--out", out.toString()));
        args.addAll(List.of(more));
        assertEquals(0, cli.run(args.toArray(String[]::new)), cli.err());
        ModelSpec spec = ModelSpec.load(out);
        assertEquals(model.toAbsolutePath().normalize(), spec.modelPath(out).normalize());
        TaskAdapter.forSpec(spec);
        JsonNode guessed = new ObjectMapper().readTree(out.toFile()).get("guessed");
        assertEquals(spec.output().outputFormat(task).specName(), guessed.get("format").asText());
        assertTrue(cli.out().contains("why:    " + guessed.get("why").asText()), cli.out());
        return spec;
    }

    @Test
    void guessesEachDetectionFamilyFromTheOutputShapes() throws Exception {
        ModelSpec v8 = spec(write("v8.onnx", floats(640, 640, "output0", new long[]{1, 84, 8400})), "detection");
        assertEquals(OutputFormat.YOLOV8, v8.output().outputFormat(ModelSpec.DETECTION));
        assertEquals(80, v8.outputClasses());
        assertEquals(640, v8.input().width());
        assertTrue(v8.input().letterbox());
        assertTrue(cli.out().contains("84 values (cx, cy, w, h, 80 class scores, no objectness) per anchor for 8400 anchors"), cli.out());

        ModelSpec v5 = spec(write("v5.onnx", floats(640, 640, "output", new long[]{1, 25200, 85})), "detection");
        assertEquals(OutputFormat.YOLOV5, v5.output().outputFormat(ModelSpec.DETECTION));
        assertEquals(80, v5.outputClasses());

        ModelSpec nms = spec(write("nms.onnx", floats(640, 640, "dets", new long[]{1, 300, 6})), "detection");
        assertEquals(OutputFormat.NMS_INCLUDED, nms.output().outputFormat(ModelSpec.DETECTION));

        ModelSpec ssd = spec(write("ssd.onnx", floats(300, 300, "loc", new long[]{1, 100, 4}, "conf", new long[]{1, 100, 3})), "detection");
        assertEquals(OutputFormat.SSD, ssd.output().outputFormat(ModelSpec.DETECTION));
        assertEquals(List.of("loc", "conf"), ssd.output().tensorNames(ModelSpec.DETECTION));
        assertEquals(2, ssd.outputClasses());

        ModelSpec grid = spec(write("grid.onnx", floats(64, 64, "det", new long[]{1, 10, 8, 8})), "detection");
        assertEquals(OutputFormat.GRID, grid.output().outputFormat(ModelSpec.DETECTION));
        assertEquals(ModelSpec.Grid.DEMO, grid.output().gridForm());
        assertEquals(5, grid.outputClasses());
    }

    @Test
    void aClassesFileNamesTheClassesAndSettlesTheLayout() throws Exception {
        Path names = dir.resolve("names.txt");
        Files.write(names, IntStream.rangeClosed(1, 3).mapToObj(i -> "thing" + i).toList());
        // [1, 7, 7]: 7 = 4 + 3 classes, so yolov8 although the axes are equal
        ModelSpec spec = spec(write("square.onnx", floats(320, 320, "y", new long[]{1, 7, 7})), "detection",
                "--classes", names.toString());
        assertEquals(OutputFormat.YOLOV8, spec.output().outputFormat(ModelSpec.DETECTION));
        assertEquals(List.of("background", "thing1", "thing2", "thing3"), spec.classes());
        // the same file against a model with 80 classes: refused
        Path v8 = write("v8.onnx", floats(640, 640, "output0", new long[]{1, 84, 8400}));
        assertEquals(2, cli.run("spec", v8.toString(), "--task", "detection", "--classes", names.toString(),
                "--out", dir.resolve("x.json").toString()));
        assertEquals(1, cli.err().lines().count(), cli.err());
        assertTrue(cli.err().contains("do not fit the yolov8 format with 3 classes"), cli.err());
    }

    @Test
    void segmentationLogitsAndClassIds() throws Exception {
        ModelSpec logits = spec(write("seg.onnx", floats(512, 512, "out", new long[]{1, 21, 128, 128})), "segmentation");
        assertEquals(OutputFormat.LOGITS, logits.output().outputFormat(ModelSpec.SEGMENTATION));
        assertEquals(21, logits.classes().size());
        assertTrue(logits.output().bilinearUpsample());
        Path names = dir.resolve("seg.txt");
        Files.write(names, List.of("background", "road", "car"));
        ModelSpec ids = spec(write("ids.onnx", floats(512, 512, "mask", new long[]{1, 512, 512})), "segmentation",
                "--classes", names.toString());
        assertEquals(OutputFormat.CLASS_IDS, ids.output().outputFormat(ModelSpec.SEGMENTATION));
        assertEquals(List.of("background", "road", "car"), ids.classes());
    }

    @Test
    void aNamedFormatThatDoesNotFitAndBadArgumentsAreOneLine() throws Exception {
        Path v8 = write("v8.onnx", floats(640, 640, "output0", new long[]{1, 84, 8400}));
        String out = dir.resolve("s.json").toString();
        String[][] bad = {
                {"spec", v8.toString(), "--task", "detection", "--format", "ssd", "--out", out},
                {"spec", v8.toString(), "--task", "detection", "--format", "logits", "--out", out},
                {"spec", v8.toString(), "--task", "detection", "--format", "yolov9", "--out", out},
                {"spec", v8.toString(), "--task", "classification", "--out", out},
                {"spec", v8.toString(), "--task", "detection", "--classes", dir.resolve("none.txt").toString(), "--out", out},
                {"spec", dir.resolve("missing.onnx").toString(), "--task", "detection", "--out", out},
                {"spec", v8.toString(), "--out", out}};
        for (String[] args : bad) {
            assertEquals(2, cli.run(args), String.join(" ", args));
            assertEquals(1, cli.err().lines().count(), cli.err());
        }
        assertEquals(false, Files.exists(Path.of(out)));
        // a named format that fits is taken as given
        ModelSpec spec = spec(v8, "detection", "--format", "yolov8");
        assertEquals(OutputFormat.YOLOV8, spec.output().outputFormat(ModelSpec.DETECTION));
        assertTrue(cli.out().contains("format: yolov8 (as given)"), cli.out());
    }

    @Test
    void inspectEndsWithTheNextCommand() throws Exception {
        Path resnet = dir.resolve("resnet.onnx");
        Files.write(resnet, ReferenceNetworks.resnet(13, 32, new int[]{1, 1}, 8, 1).toByteArray());
        assertEquals(0, cli.run("inspect", resnet.toString()));
        assertTrue(cli.out().strip().endsWith("next: adastream spec " + resnet + " --task detection|segmentation --out SPEC.json"),
                cli.out());
        Path folded = write("folded.onnx", floats(64, 64, "det", new long[]{1, 10, 8, 8}));
        assertEquals(2, cli.run("inspect", folded.toString()));
        String last = cli.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.startsWith("next: adastream calibrate " + folded + " --spec SPEC.json --images DIR"), last);
    }

    @Test
    void ultraFaceIsAnSsdWithABackgroundColumn() throws Exception {
        Path model = shared("ultraface/version-RFB-320.onnx");
        ModelSpec spec = spec(model, "detection");
        assertEquals(OutputFormat.SSD, spec.output().outputFormat(ModelSpec.DETECTION));
        assertEquals(List.of("boxes", "scores"), spec.output().tensorNames(ModelSpec.DETECTION));
        assertEquals(List.of("background", "class1"), spec.classes());
        assertEquals(320, spec.input().width());
        assertEquals(240, spec.input().height());
        assertEquals("input", spec.input().name());
        assertTrue(cli.out().contains("4 box values and 2 scores per anchor for 4420 anchors"), cli.out());
        // the graph decodes its boxes (Sub/Add after the convolutions): no priors
        assertEquals(null, spec.output().priors());
        assertTrue(spec.output().cornerBoxes(OutputFormat.SSD) && spec.output().normalizedBoxes(OutputFormat.SSD));
    }

    @Test
    void ultraFaceRawOffsetsGetUltraFacesPriors() throws Exception {
        for (String file : List.of("version-RFB-320_simplified.onnx", "version-RFB-320_without_postprocessing.onnx")) {
            ModelSpec spec = spec(shared("ultraface/" + file), "detection");
            assertEquals(OutputFormat.SSD, spec.output().outputFormat(ModelSpec.DETECTION));
            ModelSpec.Priors p = spec.output().priors();
            assertTrue(p != null, file + ": priors written");
            assertEquals(List.of(8, 16, 32, 64), java.util.Arrays.stream(p.strides()).boxed().toList());
            assertEquals("[[10, 16, 24], [32, 48], [64, 96], [128, 192, 256]]", java.util.Arrays.deepToString(p.minSizes()));
            assertEquals(0.1f, p.centreVarianceOrDefault());
            assertEquals(0.2f, p.sizeVarianceOrDefault());
            assertEquals(4420, p.count(320, 240));
            assertTrue(cli.out().contains("convolution outputs only rearranged (no decoding in the graph), so raw offsets "
                    + "to priors, and 4420 anchors is UltraFace's prior layout at 320x240"), cli.out());
        }
    }

    @Test
    void fastestDetIsAGridOfProbabilities() throws Exception {
        Path model = shared("fastestdet/FastestDet.onnx");
        ModelSpec spec = spec(model, "detection", "--classes", shared("fastestdet/coco.names").toString());
        assertEquals(OutputFormat.GRID, spec.output().outputFormat(ModelSpec.DETECTION));
        assertEquals(81, spec.classes().size());
        assertEquals("person", spec.classes().get(1));
        assertEquals(352, spec.input().width());
        assertEquals("input.1", spec.input().name());
        assertEquals(List.of("758"), spec.output().tensorNames(ModelSpec.DETECTION));
        // its output is a Concat of Sigmoid and Softmax branches: probabilities, the FastestDet form
        assertEquals(ModelSpec.Grid.FASTESTDET, spec.output().gridForm());
    }

    private static Path shared(String relative) {
        Path file = Path.of("").toAbsolutePath().getParent().getParent().resolve("shared/data").resolve(relative);
        assumeTrue(Files.isRegularFile(file), "skipped: " + file + " is absent (real models live in ../shared/data)");
        return file;
    }
}
