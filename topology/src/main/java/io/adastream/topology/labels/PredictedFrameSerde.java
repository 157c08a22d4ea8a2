package io.adastream.topology.labels;

import io.adastream.models.task.Box;
import io.adastream.models.task.Detection;
import io.adastream.models.task.TaskResult;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of a {@link PredictedFrame} while it waits for its label in the join store: the frame id, then
 * each result as its kind, width and height, and a segmentation's mask as row-major runs of (class, length) or a
 * detection list as (class id, score, box). Exact: what is read back equals what was written.
 */
public final class PredictedFrameSerde {

    private static final byte SEGMENTATION = 0;
    private static final byte DETECTIONS = 1;
    private static final byte NONE = 2;

    private PredictedFrameSerde() {
    }

    /** The serde of the waiting-predictions store. */
    public static Serde<PredictedFrame> serde() {
        return Serdes.serdeFrom((topic, frame) -> frame == null ? null : encode(frame),
                (topic, bytes) -> bytes == null ? null : decode(bytes));
    }

    public static byte[] encode(PredictedFrame frame) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(frame.frameId());
            write(out, frame.result());
            write(out, frame.sourceResult());
        } catch (IOException e) {
            throw new SerializationException("cannot encode the prediction of frame '" + frame.frameId() + "'", e);
        }
        return bytes.toByteArray();
    }

    public static PredictedFrame decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return new PredictedFrame(in.readUTF(), read(in), read(in));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("a waiting prediction cannot be decoded: " + e.getMessage(), e);
        }
    }

    private static void write(DataOutputStream out, TaskResult result) throws IOException {
        if (result == null) {
            out.writeByte(NONE);
            return;
        }
        out.writeByte(result instanceof TaskResult.Segmentation ? SEGMENTATION : DETECTIONS);
        out.writeInt(result.width());
        out.writeInt(result.height());
        if (result instanceof TaskResult.Segmentation s) {
            byte[] mask = s.mask();
            for (int start = 0; start < mask.length; ) {
                int end = start + 1;
                while (end < mask.length && mask[end] == mask[start]) {
                    end++;
                }
                out.writeByte(mask[start]);
                out.writeInt(end - start);
                start = end;
            }
        } else if (result instanceof TaskResult.Detections d) {
            out.writeInt(d.detections().size());
            for (Detection det : d.detections()) {
                out.writeInt(det.classId());
                out.writeFloat(det.score());
                out.writeFloat(det.box().x0());
                out.writeFloat(det.box().y0());
                out.writeFloat(det.box().x1());
                out.writeFloat(det.box().y1());
            }
        }
    }

    private static TaskResult read(DataInputStream in) throws IOException {
        byte kind = in.readByte();
        if (kind == NONE) {
            return null;
        }
        int width = in.readInt();
        int height = in.readInt();
        if (kind == SEGMENTATION) {
            byte[] mask = new byte[Math.multiplyExact(width, height)];
            for (int p = 0; p < mask.length; ) {
                byte value = in.readByte();
                int run = in.readInt();
                if (run < 1 || run > mask.length - p) {
                    throw new IOException("a run of " + run + " pixels at pixel " + p + " of " + mask.length);
                }
                java.util.Arrays.fill(mask, p, p + run, value);
                p += run;
            }
            return new TaskResult.Segmentation(width, height, mask);
        }
        if (kind != DETECTIONS) {
            throw new IOException("unknown result kind " + kind);
        }
        int n = in.readInt();
        List<Detection> detections = new ArrayList<>(Math.min(n, ResultJson.MAX_DETECTIONS));
        for (int i = 0; i < n; i++) {
            detections.add(new Detection(in.readInt(), in.readFloat(),
                    new Box(in.readFloat(), in.readFloat(), in.readFloat(), in.readFloat())));
        }
        return new TaskResult.Detections(width, height, detections);
    }
}
