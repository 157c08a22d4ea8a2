package io.adastream.topology;

import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.inference.AdaptiveRunner;
import io.adastream.adapt.onnx.BatchNormLayer;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.session.Workspace;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.FrameOutcome;
import io.adastream.adapt.stats.SnapshotCodec;
import io.adastream.adapt.stats.StatisticsPrecision;
import io.adastream.client.Prediction;
import io.adastream.client.PredictionDeserializer;
import io.adastream.client.Result;
import io.adastream.client.djl.DjlOutputs;
import io.adastream.client.snapshot.DomainSnapshot;
import io.adastream.client.snapshot.SnapshotDeserializer;
import io.adastream.models.io.DecodeLimits;
import io.adastream.models.io.ImageDecoder;
import io.adastream.models.spec.BundledModels;
import io.adastream.models.synth.SceneGenerator;
import io.adastream.models.task.Detection;
import io.adastream.models.task.LetterboxTransform;
import io.adastream.models.task.TaskAdapter;
import io.adastream.models.task.TaskResult;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The consumer client against the records the topology really writes: frames go through the topology on
 * TopologyTestDriver (with the shadow source run), the output records' bytes are read with the client's
 * deserializers, and every field is compared with the service's own objects: an independent replay of the same
 * frames through the service's runner and task adapter (the predicted mask or boxes, the adaptation state) and
 * the domain store's state.
 */
class ClientReadsServiceRecordsTest {

    /** The prediction writer keeps four decimals. */
    private static final double WRITTEN = 0.5e-4 + 1e-12;

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private ModelRuntime runtime;
    private Replay replay;

    @AfterEach
    void close() throws Exception {
        if (driver != null) {
            driver.close();
        }
        if (replay != null) {
            replay.close();
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void segmentationPredictionsAndSnapshotsReadAsTheServiceComputedThem() throws Exception {
        runtime = TestModels.runtime("prior-decay", Map.of());
        replay = new Replay(TestModels.runtime("prior-decay", Map.of()));
        start();
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            frames.add(TestModels.png(i, TestModels.SIZE, TestModels.SIZE, 30 * i));
        }
        List<TestRecord<String, byte[]>> out = play("cam-1", frames);
        assertEquals(frames.size(), out.size());
        PredictionDeserializer deserializer = new PredictionDeserializer();
        long foreground = 0;
        for (int i = 0; i < frames.size(); i++) {
            Replay.Step expected = replay.next(frames.get(i));
            Prediction p = deserializer.deserialize("predictions", out.get(i).value());
            assertCommonFields(p, "cam-1", "f" + i, expected);
            assertSameMask((TaskResult.Segmentation) expected.adapted(), (Result.Segmentation) p.result());
            assertTrue(p.hasSourceResult());
            assertSameMask((TaskResult.Segmentation) expected.source(), (Result.Segmentation) p.sourceResult());
            for (String c : List.of("a", "b")) {
                foreground += ((Result.Segmentation) p.result()).area(c);
            }
            int[][] grid = DjlOutputs.toCategoryMask((Result.Segmentation) p.result()).getMask();
            assertEquals(TestModels.SIZE, grid.length);
            assertEquals(((TaskResult.Segmentation) expected.adapted()).mask()[3 * TestModels.SIZE + 5], grid[3][5]);
        }
        assertTrue(foreground > 0, "the tiny model predicts some foreground, so the masks say something");

        // the snapshot the service emits on demand, read with the client's deserializer
        TestInputTopic<byte[], byte[]> control = driver.createInputTopic("control", new ByteArraySerializer(),
                new ByteArraySerializer());
        control.pipeInput("cam-1".getBytes(StandardCharsets.UTF_8),
                "{\"command\": \"snapshot\"}".getBytes(StandardCharsets.UTF_8));
        TestOutputTopic<String, byte[]> snapshots = driver.createOutputTopic("snapshots", new StringDeserializer(),
                new ByteArrayDeserializer());
        TestRecord<String, byte[]> record = snapshots.readRecord();
        assertEquals("cam-1", record.key());
        DomainSnapshot snapshot = new SnapshotDeserializer().deserialize("snapshots", record.value());
        DomainState stored = SnapshotCodec.read(StoredDomain.snapshot(
                driver.<String, byte[]>getKeyValueStore(TopologyNames.DOMAIN_STORE).get("cam-1")), runtime.source());
        DomainState replayed = replay.state;
        assertEquals(runtime.adaptive().fingerprintHex(), snapshot.modelSha256());
        assertEquals(DomainSnapshot.Precision.FLOAT64, snapshot.precision());
        assertEquals("prior-decay", snapshot.policy());
        assertEquals(replayed.policy().parameters(), snapshot.parameters());
        assertEquals(frames.size(), snapshot.frames());
        assertEquals(stored.frameCount(), snapshot.frames());
        assertEquals(stored.version(), snapshot.stateVersion());
        assertEquals(replayed.version(), snapshot.stateVersion());
        assertEquals(replayed.effectiveCount(), snapshot.effectiveCount());
        assertEquals(replayed.sourceWeight(), snapshot.sourceWeight(), 1e-12);
        assertEquals(replayed.detector().frames(), snapshot.detector().frames());
        assertEquals(runtime.source().layers(), snapshot.layers().size());
        for (int l = 0; l < snapshot.layers().size(); l++) {
            DomainSnapshot.Layer layer = snapshot.layers().get(l);
            assertEquals(runtime.source().channels(l), layer.channels());
            // the store keeps float32 statistics (the settings below); the snapshot float64
            assertArrayEquals(stored.fedMean(l), layer.fedMean(), 1e-6f);
            for (int c = 0; c < layer.channels(); c++) {
                assertEquals(replayed.mean(l, c), layer.mean()[c], 1e-6 * (1 + Math.abs(replayed.mean(l, c))));
                assertEquals(replayed.var(l, c), layer.variance()[c], 1e-6 * (1 + replayed.var(l, c)));
            }
        }
    }

    @Test
    void detectionPredictionsReadAsTheServiceComputedThem() throws Exception {
        assumeTrue(BundledModels.available(BundledModels.DETECTOR), "the bundled detector is not in this build");
        runtime = bundledDetector();
        replay = new Replay(bundledDetector());
        start();
        SceneGenerator scenes = new SceneGenerator(11, 64, 64);
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(scenes.next().toImage(), "png", png);
            frames.add(png.toByteArray());
        }
        List<TestRecord<String, byte[]>> out = play("site-9", frames);
        assertEquals(frames.size(), out.size());
        PredictionDeserializer deserializer = new PredictionDeserializer();
        int boxes = 0;
        for (int i = 0; i < frames.size(); i++) {
            Replay.Step expected = replay.next(frames.get(i));
            Prediction p = deserializer.deserialize("predictions", out.get(i).value());
            assertCommonFields(p, "site-9", "f" + i, expected);
            assertSameBoxes((TaskResult.Detections) expected.adapted(), (Result.Detections) p.result());
            assertSameBoxes((TaskResult.Detections) expected.source(), (Result.Detections) p.sourceResult());
            Result.Detections d = (Result.Detections) p.result();
            assertEquals(d.boxes().size(), DjlOutputs.toDetectedObjects(d).getNumberOfObjects());
            boxes += d.boxes().size();
        }
        assertTrue(boxes > 0, "the detector finds objects in the scenes, so the boxes say something");
    }

    private static ModelRuntime bundledDetector() throws Exception {
        return new ModelRuntime(BundledModels.spec(BundledModels.DETECTOR), BundledModels.onnx(BundledModels.DETECTOR),
                SessionConfig.cpu().withIntraOpThreads(1), "prior-decay", Map.of(), AdaptationMode.FUSED);
    }

    private void start() {
        AdaptingProcessor.Settings settings = new AdaptingProcessor.Settings(100, true, 1, StatisticsPrecision.FLOAT32,
                Duration.ofSeconds(10), true, true);
        ImageDecoder decoder = new ImageDecoder(new DecodeLimits(1 << 20, 1024, 1024, 1024 * 1024));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "adastream-client-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(AdaStreamTopology.build(runtime, AdaStreamTopologyTest.NAMES, settings, decoder,
                ServiceMetrics.NONE), props);
    }

    private List<TestRecord<String, byte[]>> play(String domain, List<byte[]> frames) {
        TestInputTopic<byte[], byte[]> in = driver.createInputTopic("frames", new ByteArraySerializer(),
                new ByteArraySerializer());
        for (int i = 0; i < frames.size(); i++) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("frame-id", ("f" + i).getBytes(StandardCharsets.UTF_8));
            in.pipeInput(new TestRecord<>(domain.getBytes(StandardCharsets.UTF_8), frames.get(i), headers));
        }
        return driver.createOutputTopic("predictions", new StringDeserializer(), new ByteArrayDeserializer())
                .readRecordsToList();
    }

    private void assertCommonFields(Prediction p, String domain, String frameId, Replay.Step expected) {
        assertEquals(frameId, p.frameId());
        assertEquals(domain, p.domain());
        assertEquals(new Prediction.ModelInfo(runtime.spec().name(), runtime.adaptive().fingerprintHex()), p.model());
        assertEquals(runtime.spec().task(), p.task());
        Prediction.Adaptation a = p.adaptation();
        DomainState s = replay.state;
        assertEquals(s.policy().name(), a.policy());
        assertEquals("fused", a.mode());
        assertEquals(expected.outcome().name().toLowerCase(Locale.ROOT), a.outcome());
        assertEquals(s.frameCount(), a.frames());
        assertEquals(s.version(), a.version());
        assertEquals(s.frozen(), a.frozen());
        assertEquals(expected.weight(), a.weight(), WRITTEN);
        assertEquals(s.sourceWeight(), a.sourceWeight(), WRITTEN);
        if (Double.isNaN(expected.score())) {
            assertTrue(Double.isNaN(a.shiftScore()));
        } else {
            assertEquals(expected.score(), a.shiftScore(), WRITTEN);
        }
        assertTrue(p.timings().inferenceMs() >= 0 && p.timings().decodeMs() >= 0 && p.timings().preprocessMs() >= 0);
    }

    private void assertSameMask(TaskResult.Segmentation expected, Result.Segmentation actual) {
        assertEquals(expected.width(), actual.width());
        assertEquals(expected.height(), actual.height());
        assertEquals(runtime.spec().classes(), actual.classes());
        int[] ids = actual.classIds();
        byte[] mask = expected.mask();
        assertEquals(mask.length, ids.length);
        for (int i = 0; i < mask.length; i++) {
            assertEquals(mask[i], ids[i], "pixel " + i);
        }
    }

    private void assertSameBoxes(TaskResult.Detections expected, Result.Detections actual) {
        assertEquals(expected.width(), actual.width());
        assertEquals(expected.height(), actual.height());
        assertEquals(expected.detections().size(), actual.boxes().size());
        for (int k = 0; k < actual.boxes().size(); k++) {
            Detection e = expected.detections().get(k);
            Result.DetectedBox b = actual.boxes().get(k);
            assertEquals(e.classId(), b.classId());
            assertEquals(runtime.spec().classes().get(e.classId()), b.className());
            assertEquals(e.score(), b.score(), WRITTEN);
            assertEquals(e.box().x0(), b.x0(), WRITTEN);
            assertEquals(e.box().y0(), b.y0(), WRITTEN);
            assertEquals(e.box().x1(), b.x1(), WRITTEN);
            assertEquals(e.box().y1(), b.y1(), WRITTEN);
        }
    }

    /**
     * The same frames of one domain through the service's runner and task adapter outside the topology: the adapted
     * result, the shadow run with source statistics, and the domain state after each frame.
     */
    private static final class Replay implements AutoCloseable {

        record Step(TaskResult adapted, TaskResult source, FrameOutcome outcome, double score, double weight) {
        }

        private final ModelRuntime runtime;
        private final AdaptiveRunner runner;
        private final TaskAdapter task;
        private final Workspace workspace;
        private final ImageDecoder decoder = new ImageDecoder();
        final DomainState state;

        Replay(ModelRuntime runtime) throws Exception {
            this.runtime = runtime;
            this.runner = TestModels.runner(runtime);
            this.task = TaskAdapter.forSpec(runtime.spec());
            this.workspace = runner.workspace(1);
            this.state = runner.adapter().newDomain(runtime.defaultPolicy());
        }

        Step next(byte[] png) throws Exception {
            LetterboxTransform t = task.preprocess(decoder.decode(png),
                    workspace.input(runtime.spec().input().name()), 0);
            FrameOutcome[] outcome = new FrameOutcome[1];
            runner.run(workspace, new DomainState[]{state}, outcome);
            String output = runtime.spec().output().name();
            TaskResult adapted = task.decode(workspace.output(output), workspace.outputShape(output), 0, t);
            for (BatchNormLayer l : runtime.adaptive().layers()) {
                workspace.setStatistics(0, l.index(), l.sourceMean(), l.sourceVar());
                workspace.setBlend(0, l.index(), 0f);
            }
            workspace.run();
            TaskResult source = task.decode(workspace.output(output), workspace.outputShape(output), 0, t);
            return new Step(adapted, source, outcome[0], runner.score(0), runner.adapter().lastWeight());
        }

        @Override
        public void close() throws Exception {
            runner.close();
            runtime.close();
        }
    }
}
