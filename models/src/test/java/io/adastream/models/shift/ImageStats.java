package io.adastream.models.shift;

/** Independent image statistics used to check the direction of each corruption. */
final class ImageStats {
    private ImageStats() {
    }

    static double mean(float[] rgb) {
        double sum = 0;
        for (float v : rgb) {
            sum += v;
        }
        return sum / rgb.length;
    }

    static double channelMean(float[] rgb, int channel) {
        double sum = 0;
        for (int i = channel; i < rgb.length; i += 3) {
            sum += rgb[i];
        }
        return sum / (rgb.length / 3.0);
    }

    /** Mean over channels of the per-channel standard deviation. */
    static double std(float[] rgb) {
        double total = 0;
        for (int c = 0; c < 3; c++) {
            double mean = channelMean(rgb, c);
            double sq = 0;
            for (int i = c; i < rgb.length; i += 3) {
                sq += (rgb[i] - mean) * (rgb[i] - mean);
            }
            total += Math.sqrt(sq / (rgb.length / 3.0));
        }
        return total / 3;
    }

    /** Mean squared difference of horizontally and vertically adjacent values (high-frequency energy). */
    static double highFrequencyEnergy(float[] rgb, int w, int h) {
        double sum = 0;
        long n = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    float v = rgb[(y * w + x) * 3 + c];
                    if (x + 1 < w) {
                        float d = rgb[(y * w + x + 1) * 3 + c] - v;
                        sum += d * d;
                        n++;
                    }
                    if (y + 1 < h) {
                        float d = rgb[((y + 1) * w + x) * 3 + c] - v;
                        sum += d * d;
                        n++;
                    }
                }
            }
        }
        return sum / n;
    }

    static double meanAbsoluteDifference(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }

    /** Fraction of horizontally adjacent pixels with exactly equal RGB. */
    static double equalNeighbourFraction(float[] rgb, int w, int h) {
        int equal = 0;
        int n = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x + 1 < w; x++) {
                int a = (y * w + x) * 3;
                int b = a + 3;
                if (rgb[a] == rgb[b] && rgb[a + 1] == rgb[b + 1] && rgb[a + 2] == rgb[b + 2]) {
                    equal++;
                }
                n++;
            }
        }
        return (double) equal / n;
    }

    /**
     * JPEG blockiness: mean squared horizontal step across 8-pixel block boundaries divided by the mean squared
     * step inside blocks.
     */
    static double blockiness(float[] rgb, int w, int h) {
        double across = 0;
        double inside = 0;
        int nAcross = 0;
        int nInside = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x + 1 < w; x++) {
                for (int c = 0; c < 3; c++) {
                    float d = rgb[(y * w + x + 1) * 3 + c] - rgb[(y * w + x) * 3 + c];
                    if (x % 8 == 7) {
                        across += d * d;
                        nAcross++;
                    } else {
                        inside += d * d;
                        nInside++;
                    }
                }
            }
        }
        return (across / nAcross) / (inside / nInside);
    }
}
