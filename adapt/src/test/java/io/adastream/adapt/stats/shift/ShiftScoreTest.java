package io.adastream.adapt.stats.shift;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ShiftScoreTest {

    @Test
    void jeffreysMatchesTheGaussianFormula() {
        assertEquals(0.0, ShiftScore.jeffreys(0.3, 2.0, 0.3, 2.0, 0), 1e-15);
        // δ = 1, equal unit variances: (1+1)/2 + (1+1)/2 − 1 = 1
        assertEquals(1.0, ShiftScore.jeffreys(1, 1, 0, 1, 0), 1e-15);
        // variance ratio 4, no mean shift: 4/2 + 1/8 − 1 = 1.125
        assertEquals(1.125, ShiftScore.jeffreys(0, 4, 0, 1, 0), 1e-15);
        // the floor: a dead channel against a dead estimate scores 0, not NaN
        assertEquals(0.0, ShiftScore.jeffreys(0, 0, 0, 0, 1e-3), 1e-15);
        assertEquals(ShiftScore.CLIP, ShiftScore.jeffreys(100, 1, 0, 1, 0));
    }

    @Test
    void trimmedMeanDropsTenPercentAtEachEnd() {
        Random random = new Random(1);
        for (int n : new int[]{1, 5, 9, 10, 11, 37, 100, 1001}) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = random.nextInt(5) == 0 ? 3.0 : random.nextGaussian() * 10; // with ties
            }
            double[] sorted = x.clone();
            Arrays.sort(sorted);
            int cut = (int) Math.floor(0.1 * n);
            double s = 0;
            for (int i = cut; i < n - cut; i++) {
                s += sorted[i];
            }
            assertEquals(s / (n - 2 * cut), ShiftScore.trimmedMean(x, n, 0.1), 1e-12, "n = " + n);
        }
    }
}
