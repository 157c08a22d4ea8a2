package io.adastream.client.example;

import io.adastream.client.Prediction;
import io.adastream.client.PredictionDeserializer;
import io.adastream.client.Result;
import io.adastream.client.djl.DjlOutputs;
import ai.djl.modality.cv.output.DetectedObjects;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * A runnable consumer of the predictions topic: prints one line per prediction (domain, frame, policy, outcome,
 * and the classes' pixel shares or the detected boxes via DJL's {@code DetectedObjects}) until Ctrl-C. A record
 * that is not a prediction is reported on standard error and skipped.
 *
 * <pre>java ... io.adastream.client.example.PrintPredictions [BOOTSTRAP_SERVERS] [TOPIC]</pre>
 */
public final class PrintPredictions {

    static final String DEFAULT_BOOTSTRAP = "localhost:9092";
    static final String DEFAULT_TOPIC = "adastream.predictions";

    private PrintPredictions() {
    }

    public static void main(String[] args) {
        String usage = "usage: PrintPredictions [BOOTSTRAP_SERVERS (" + DEFAULT_BOOTSTRAP + ")] [TOPIC ("
                + DEFAULT_TOPIC + ")]";
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(usage);
            return;
        }
        if (args.length > 2) {
            System.err.println(usage);
            System.exit(2);
        }
        String bootstrap = args.length > 0 ? args[0] : DEFAULT_BOOTSTRAP;
        String topic = args.length > 1 ? args[1] : DEFAULT_TOPIC;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "adastream-print-predictions");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // only predictions of committed transactions: the service writes exactly once
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, Prediction> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new PredictionDeserializer())) {
            Thread main = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                consumer.wakeup();
                try {
                    main.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            consumer.subscribe(List.of(topic));
            System.out.println("reading " + topic + " from " + bootstrap + " (Ctrl-C stops)");
            run(consumer, System.out, System.err);
        } catch (WakeupException e) {
            // Ctrl-C
        }
    }

    /** Polls until woken up, printing every prediction and skipping every unreadable record. */
    static void run(KafkaConsumer<String, Prediction> consumer, PrintStream out, PrintStream err) {
        while (true) {
            try {
                for (ConsumerRecord<String, Prediction> record : consumer.poll(Duration.ofSeconds(1))) {
                    out.println(describe(record.value()));
                }
            } catch (RecordDeserializationException e) {
                TopicPartition p = e.topicPartition();
                err.println("skipping " + p + "@" + e.offset() + ": " + e.getCause().getMessage());
                consumer.seek(p, e.offset() + 1);
            }
        }
    }

    /** One line about a prediction. */
    static String describe(Prediction p) {
        Prediction.Adaptation a = p.adaptation();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s %s: %s %s after %d frames (weight %.4f, shift %.3f)",
                p.domain(), p.frameId(), a.policy(), a.outcome(), a.frames(), a.weight(), a.shiftScore()));
        if (p.result() instanceof Result.Segmentation s) {
            double pixels = (double) s.width() * s.height();
            for (String c : s.classes().subList(1, s.classes().size())) {
                long area = s.area(c);
                if (area > 0) {
                    line.append(String.format(Locale.ROOT, " %s %.1f%%", c, 100 * area / pixels));
                }
            }
        } else if (p.result() instanceof Result.Detections d) {
            DetectedObjects objects = DjlOutputs.toDetectedObjects(d);
            line.append(' ').append(objects.getNumberOfObjects()).append(" objects");
            for (int i = 0; i < objects.getNumberOfObjects(); i++) {
                DetectedObjects.DetectedObject o = objects.item(i);
                var r = o.getBoundingBox().getBounds();
                line.append(String.format(Locale.ROOT, " %s %.2f [%.2f %.2f %.2f %.2f]", o.getClassName(),
                        o.getProbability(), r.getX(), r.getY(), r.getWidth(), r.getHeight()));
            }
        }
        return line.toString();
    }
}
