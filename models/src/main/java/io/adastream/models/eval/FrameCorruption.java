package io.adastream.models.eval;

/** A condition applied to an evaluation frame's pixels at its own size, re-quantized to 8 bits; the labels are kept. */
public final class FrameCorruption {

    private FrameCorruption() {
    }

    /** The frame under {@code condition} (the frame itself for the clean condition), noise seeded by {@code seed}. */
    public static EvalFrame apply(EvalFrame frame, Condition condition, long seed) {
        if (condition.isClean()) {
            return frame;
        }
        int n = frame.width() * frame.height();
        int[] packed = frame.packedRgb();
        float[] rgb = new float[3 * n];
        for (int p = 0, i = 0; p < n; p++, i += 3) {
            rgb[i] = ((packed[p] >> 16) & 0xFF) / 255f;
            rgb[i + 1] = ((packed[p] >> 8) & 0xFF) / 255f;
            rgb[i + 2] = (packed[p] & 0xFF) / 255f;
        }
        float[] out = condition.apply(rgb, frame.width(), frame.height(), seed);
        int[] result = new int[n];
        for (int p = 0, i = 0; p < n; p++, i += 3) {
            result[p] = (toByte(out[i]) << 16) | (toByte(out[i + 1]) << 8) | toByte(out[i + 2]);
        }
        return new EvalFrame(frame.width(), frame.height(), result, frame.classMask(), frame.boxes());
    }

    private static int toByte(float v) {
        int b = Math.round(v * 255f);
        return b < 0 ? 0 : Math.min(b, 255);
    }
}
