package io.adastream.models.calibration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How closely two detectors' boxes on the same frames agree: boxes matched greedily (highest IoU first, IoU at
 * least 0.5, one to one), the mean IoU and the score differences of the matched pairs.
 */
final class DetectionAgreement {

    static final double MATCH_IOU = 0.5;

    private int boxesA;
    private int boxesB;
    private int matched;
    private double iouSum;
    private double minIou = 1;
    private double scoreDiffSum;
    private double maxScoreDiff;

    void add(List<FaceBoxes.Face> a, List<FaceBoxes.Face> b) {
        boxesA += a.size();
        boxesB += b.size();
        boolean[] usedB = new boolean[b.size()];
        List<double[]> pairs = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < b.size(); j++) {
                double iou = a.get(i).box().iou(b.get(j).box());
                if (iou >= MATCH_IOU) {
                    pairs.add(new double[]{iou, i, j});
                }
            }
        }
        pairs.sort((x, y) -> Double.compare(y[0], x[0]));
        boolean[] usedA = new boolean[a.size()];
        for (double[] p : pairs) {
            int i = (int) p[1];
            int j = (int) p[2];
            if (usedA[i] || usedB[j]) {
                continue;
            }
            usedA[i] = true;
            usedB[j] = true;
            matched++;
            iouSum += p[0];
            minIou = Math.min(minIou, p[0]);
            double d = Math.abs(a.get(i).score() - b.get(j).score());
            scoreDiffSum += d;
            maxScoreDiff = Math.max(maxScoreDiff, d);
        }
    }

    int boxesA() {
        return boxesA;
    }

    int boxesB() {
        return boxesB;
    }

    int matched() {
        return matched;
    }

    /** Matched boxes over the larger of the two box counts (1 when neither found any). */
    double matchedFraction() {
        int most = Math.max(boxesA, boxesB);
        return most == 0 ? 1 : (double) matched / most;
    }

    double meanIou() {
        return matched == 0 ? Double.NaN : iouSum / matched;
    }

    double minIou() {
        return matched == 0 ? Double.NaN : minIou;
    }

    double meanScoreDiff() {
        return matched == 0 ? Double.NaN : scoreDiffSum / matched;
    }

    double maxScoreDiff() {
        return maxScoreDiff;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "boxes %d vs %d, matched %d (%.1f%%), IoU mean %.4f min %.4f, |score diff| mean %.2e max %.2e",
                boxesA, boxesB, matched, 100 * matchedFraction(), meanIou(), minIou(), meanScoreDiff(), maxScoreDiff);
    }
}
