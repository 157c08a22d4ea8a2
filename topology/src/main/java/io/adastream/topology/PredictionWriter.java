package io.adastream.topology;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.FrameOutcome;
import io.adastream.models.task.Detection;
import io.adastream.models.task.Rle;
import io.adastream.models.task.TaskResult;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Writes the prediction record (JSON) of a frame with Jackson's streaming generator: no reflection and one
 * reused buffer per processor. The format is documented in the README ("Record formats").
 */
public final class PredictionWriter {

    private static final JsonFactory JSON = new JsonFactory();

    private final String modelName;
    private final String fingerprint;
    private final String task;
    private final List<String> classes;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(4096);

    public PredictionWriter(String modelName, String fingerprint, String task, List<String> classes) {
        this.modelName = modelName;
        this.fingerprint = fingerprint;
        this.task = task;
        this.classes = List.copyOf(classes);
    }

    /** Everything a prediction record says about one frame. */
    public record Prediction(String frameId, String domain, DomainState state, String mode, FrameOutcome outcome,
                             double shiftScore, double weight, TaskResult result, TaskResult sourceResult,
                             double decodeMs, double preprocessMs, double inferenceMs) {
    }

    public byte[] write(Prediction p) {
        buffer.reset();
        try (JsonGenerator g = JSON.createGenerator(buffer, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("frame_id", p.frameId());
            g.writeStringField("domain", p.domain());
            g.writeObjectFieldStart("model");
            g.writeStringField("name", modelName);
            g.writeStringField("sha256", fingerprint);
            g.writeEndObject();
            g.writeStringField("task", task);
            g.writeObjectFieldStart("adaptation");
            g.writeStringField("policy", p.state().policy().name());
            g.writeStringField("mode", p.mode());
            g.writeStringField("outcome", p.outcome().name().toLowerCase(java.util.Locale.ROOT));
            g.writeNumberField("frames", p.state().frameCount());
            g.writeNumberField("version", p.state().version());
            writeNumber(g, "weight", p.weight());
            writeNumber(g, "shift_score", p.shiftScore());
            writeNumber(g, "source_weight", p.state().sourceWeight());
            g.writeBooleanField("frozen", p.state().frozen());
            g.writeEndObject();
            g.writeFieldName("result");
            writeResult(g, p.result());
            if (p.sourceResult() != null) {
                g.writeFieldName("source_result");
                writeResult(g, p.sourceResult());
            }
            g.writeObjectFieldStart("timings_ms");
            writeNumber(g, "decode", p.decodeMs());
            writeNumber(g, "preprocess", p.preprocessMs());
            writeNumber(g, "inference", p.inferenceMs());
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    private void writeResult(JsonGenerator g, TaskResult result) throws IOException {
        g.writeStartObject();
        if (result instanceof TaskResult.Segmentation s) {
            {
                g.writeNumberField("width", s.width());
                g.writeNumberField("height", s.height());
                g.writeArrayFieldStart("classes");
                for (String c : classes) {
                    g.writeString(c);
                }
                g.writeEndArray();
                g.writeObjectFieldStart("rle");
                for (Map.Entry<Integer, Rle> e : s.runLengths().entrySet()) {
                    if (e.getKey() == 0) {
                        continue;
                    }
                    g.writeObjectFieldStart(classes.get(e.getKey()));
                    g.writeArrayFieldStart("size");
                    g.writeNumber(s.height());
                    g.writeNumber(s.width());
                    g.writeEndArray();
                    int[] counts = e.getValue().counts();
                    g.writeArrayFieldStart("counts");
                    for (int c : counts) {
                        g.writeNumber(c);
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
        } else if (result instanceof TaskResult.Detections d) {
            {
                g.writeNumberField("width", d.width());
                g.writeNumberField("height", d.height());
                g.writeArrayFieldStart("detections");
                for (Detection det : d.detections()) {
                    g.writeStartObject();
                    g.writeStringField("class", classes.get(det.classId()));
                    g.writeNumberField("class_id", det.classId());
                    g.writeNumberField("score", round(det.score()));
                    g.writeArrayFieldStart("box");
                    g.writeNumber(round(det.box().x0()));
                    g.writeNumber(round(det.box().y0()));
                    g.writeNumber(round(det.box().x1()));
                    g.writeNumber(round(det.box().y1()));
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
        }
        g.writeEndObject();
    }

    private static void writeNumber(JsonGenerator g, String name, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumberField(name, round(v));
        } else {
            g.writeNullField(name);
        }
    }

    private static double round(double v) {
        return Math.round(v * 10000.0) / 10000.0;
    }
}
