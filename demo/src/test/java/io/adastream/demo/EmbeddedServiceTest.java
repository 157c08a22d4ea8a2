package io.adastream.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adastream.embedded.EmbeddedKafka;
import io.adastream.models.shift.Corruption;
import io.adastream.models.spec.BundledModels;
import io.adastream.topology.AdaStreamService;
import io.adastream.topology.ServiceMetrics;
import io.adastream.topology.TopicsSetup;
import io.adastream.topology.config.AdaStreamConfig;
import io.adastream.topology.config.Keys;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The service on a real single-node KRaft broker with the bundled segmenter and the demo's synthetic cameras: two
 * domains, every frame gets exactly one committed prediction, and on the shifted domain the adapted predictions beat
 * the source model's (scored by the demo's scoreboard).
 */
class EmbeddedServiceTest {

    static final int FRAMES_PER_DOMAIN = 120;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;

    @Test
    void twoDomainsExactlyOncePredictionsAndAdaptationHelpsTheShiftedOne() throws Exception {
        assumeTrue(BundledModels.available(BundledModels.SEGMENTER), "the bundled segmenter is not in this build");
        EmbeddedKafka.quietBrokerLogging();
        Camera clean = new Camera("site-clean", null, 0, 21);
        Camera shifted = new Camera("site-night", Corruption.byName("low_light"), 5, 22);
        Camera[] cameras = {clean, shifted};
        try (EmbeddedKafka kafka = EmbeddedKafka.startInProcess()) {
            Map<String, String> settings = new HashMap<>();
            settings.put("bootstrap.servers", kafka.bootstrapServers());
            settings.put("application.id", "adastream-it");
            settings.put("state.dir", stateDir.toString());
            settings.put(Keys.MODEL_SPEC, "bundled:segmenter");
            settings.put(Keys.SHADOW_SOURCE, "true");
            settings.put(Keys.INFERENCE_THREADS, "1");
            AdaStreamConfig config = AdaStreamConfig.of(settings);
            try (AdaStreamService service = AdaStreamService.create(config, ServiceMetrics.NONE)) {
                TopicsSetup.ensure(kafka.adminProperties(), service.names(), config.topic(Keys.TOPIC_LABELS), 2, (short) 1);
                service.start();
                await("the service RUNNING").atMost(Duration.ofSeconds(60))
                        .failFast("the service failed", () -> service.streams().state() == KafkaStreams.State.ERROR)
                        .until(() -> service.streams().state() == KafkaStreams.State.RUNNING);

                Map<String, byte[]> truth = new HashMap<>();
                try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.adminProperties(),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
                    FrameSource[] sources = {new FrameSource(clean, 64, 64), new FrameSource(shifted, 64, 64)};
                    for (int i = 0; i < FRAMES_PER_DOMAIN; i++) {
                        for (int c = 0; c < cameras.length; c++) {
                            FrameSource.Frame f = sources[c].next();
                            truth.put(f.frameId(), f.groundTruth());
                            RecordHeaders headers = new RecordHeaders();
                            headers.add("frame-id", f.frameId().getBytes(StandardCharsets.UTF_8));
                            producer.send(new ProducerRecord<>(service.names().framesTopic(), null,
                                    cameras[c].domain().getBytes(StandardCharsets.UTF_8), f.png(), headers));
                        }
                    }
                }

                Scoreboard board = new Scoreboard(service.runtime().spec().classes(), cameras);
                Map<String, Integer> seen = new HashMap<>();
                java.util.Properties c = new java.util.Properties();
                c.putAll(kafka.adminProperties());
                c.put("group.id", "it-checker");
                c.put("auto.offset.reset", "earliest");
                c.put("isolation.level", "read_committed");
                int expected = FRAMES_PER_DOMAIN * cameras.length;
                try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
                    consumer.subscribe(List.of(service.names().predictionsTopic()));
                    // the consumer is used from this thread only
                    await("a prediction of every frame").atMost(Duration.ofMinutes(5)).pollInSameThread()
                            .pollInterval(Duration.ZERO).until(() -> {
                                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                                    JsonNode p = JSON.readTree(r.value());
                                    String id = p.get("frame_id").asText();
                                    seen.merge(id, 1, Integer::sum);
                                    if (seen.get(id) == 1) {
                                        board.add(p, truth.get(id));
                                    }
                                }
                                return seen.size() >= expected;
                            });
                    // a little longer, to catch any duplicate that would arrive late
                    for (int i = 0; i < 5; i++) {
                        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            seen.merge(JSON.readTree(r.value()).get("frame_id").asText(), 1, Integer::sum);
                        }
                    }
                }
                assertEquals(truth.keySet(), seen.keySet(), "every frame got a prediction");
                assertTrue(seen.values().stream().allMatch(n -> n == 1), "no frame got two predictions");

                double adapted = board.meanIoU(shifted.domain(), true);
                double source = board.meanIoU(shifted.domain(), false);
                double cleanAdapted = board.meanIoU(clean.domain(), true);
                double cleanSource = board.meanIoU(clean.domain(), false);
                System.out.printf("site-night (low_light/5): mIoU adapted %.3f vs source %.3f; site-clean: %.3f vs %.3f%n",
                        adapted, source, cleanAdapted, cleanSource);
                assertTrue(adapted > source + 0.01, "adaptation helps the shifted domain: " + adapted + " vs " + source);
            }
        }
    }

}
