package io.adastream.cli;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import io.adastream.adapt.testing.HostileModels;
import io.adastream.adapt.testing.NetworkBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Malformed and hostile models at the command line: exit code 2 and one line on standard error, never a stack trace. */
class HostileModelCommandsTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return AdaStreamCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private List<String> errLines() {
        return err.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void aMeanWhoseRawDataDoesNotMatchItsDimsGivesExitTwoAndOneLine() throws Exception {
        Path model = write("short-mean.onnx", HostileModels.withStatistic(HostileModels.oneBatchNorm(13), 3,
                TensorProto.newBuilder().setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(4)
                        .setRawData(ByteString.copyFrom(new byte[12]))).toByteArray());
        for (String command : new String[]{"inspect", "rewrite", "check"}) {
            String[] args = command.equals("rewrite") ? new String[]{command, model.toString(), dir.resolve("o.onnx").toString()}
                    : new String[]{command, model.toString()};
            assertEquals(2, run(args), command + ": " + err);
            assertEquals(1, errLines().size(), command + ": " + err);
            assertTrue(errLines().get(0).startsWith("adastream " + command + ": " + model + ": initializer '"), errLines().get(0));
            assertTrue(errLines().get(0).contains("which take 16 raw bytes, but holds 12"), errLines().get(0));
            assertFalse(err.toString(StandardCharsets.UTF_8).contains("Exception"), err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void anOpsetVersionBeyondTheIntRangeGivesExitTwoAndOneLine() throws Exception {
        Path model = write("opset.onnx", HostileModels.withOpsetVersion(HostileModels.oneBatchNorm(15), (1L << 32) + 15).toByteArray());
        assertEquals(2, run("rewrite", model.toString(), dir.resolve("o.onnx").toString()));
        assertEquals(List.of("adastream rewrite: " + model + ": the model imports opset version 4294967311 of domain "
                + "'ai.onnx', outside the range of opset versions (0 to 2147483647)"), errLines());
    }

    @Test
    void inspectOfAModelItCannotAdaptPutsTheReasonOnStandardErrorToo() throws Exception {
        Path model = write("training.onnx", HostileModels.withNode(HostileModels.oneBatchNorm(15), "BatchNormalization",
                n -> n.addAttribute(HostileModels.intAttribute("training_mode", 1))).toByteArray());
        assertEquals(2, run("inspect", model.toString()));
        String stdout = out.toString(StandardCharsets.UTF_8);
        assertTrue(stdout.contains("adaptable: no: BatchNormalization 'bn' runs in training mode (training_mode=1)"), stdout);
        assertEquals(1, errLines().size(), err.toString(StandardCharsets.UTF_8));
        assertTrue(errLines().get(0).startsWith("adastream inspect: " + model
                + ": cannot be adapted: BatchNormalization 'bn' runs in training mode (training_mode=1)"), errLines().get(0));
    }

    @Test
    void inspectOfAModelWithoutBatchNormalizationPutsTheReasonOnStandardErrorToo() throws Exception {
        NetworkBuilder b = new NetworkBuilder(13, 1);
        b.output(b.relu(b.conv(b.input("x", -1, 3, 8, 8), 3, 4, 3, 1, 2)));
        Path model = write("folded.onnx", b.build().toByteArray());
        assertEquals(2, run("inspect", model.toString()));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("adaptable: no: the model has no BatchNormalization node"),
                out.toString(StandardCharsets.UTF_8));
        assertEquals(1, errLines().size(), err.toString(StandardCharsets.UTF_8));
        assertTrue(errLines().get(0).startsWith("adastream inspect: " + model
                + ": cannot be adapted: the model has no BatchNormalization node"), errLines().get(0));
    }

    @Test
    void checkOfTwoThousandLayersIsRefusedInBoundedTime() throws Exception {
        Path model = write("chain.onnx", HostileModels.chain(2000).toByteArray());
        int code = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> run("check", model.toString(), "--runs", "2"));
        assertEquals(2, code, err.toString(StandardCharsets.UTF_8));
        assertEquals(1, errLines().size(), err.toString(StandardCharsets.UTF_8));
        assertTrue(errLines().get(0).contains("the model has 2000 BatchNormalization layers to adapt; at most 500 are supported"),
                errLines().get(0));
    }
}
