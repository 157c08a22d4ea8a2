package io.adastream.client;

import java.util.Arrays;

/**
 * A binary mask in COCO's uncompressed run-length encoding ({@code {"size": [h, w], "counts": [...]}} of
 * pycocotools): pixels in column-major order, alternating runs that start with a run of zeros (possibly empty).
 */
public record RunLengthMask(int height, int width, int[] counts) {

    /** Checks that the runs are non-negative and cover the h·w pixels exactly. */
    public RunLengthMask {
        counts = counts.clone();
        long total = (long) height * width;
        long covered = 0;
        for (int c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("a run length is negative: " + c);
            }
            covered += c;
        }
        if (covered != total) {
            throw new IllegalArgumentException("the runs cover " + covered + " pixels; the mask has " + height + "x"
                    + width + " = " + total);
        }
    }

    @Override
    public int[] counts() {
        return counts.clone();
    }

    /** Foreground pixels. */
    public long area() {
        long area = 0;
        for (int i = 1; i < counts.length; i += 2) {
            area += counts[i];
        }
        return area;
    }

    /** Whether pixel (x, y) is in the mask. */
    public boolean contains(int x, int y) {
        if (x < 0 || x >= width || y < 0 || y >= height) {
            throw new IndexOutOfBoundsException("pixel (" + x + ", " + y + ") is outside " + width + "x" + height);
        }
        long position = (long) x * height + y;
        long start = 0;
        for (int i = 0; i < counts.length; i++) {
            start += counts[i];
            if (position < start) {
                return (i & 1) == 1;
            }
        }
        return false;
    }

    /** Sets {@code value} at every pixel of the mask in a row-major {@code ids} array of width × height. */
    public void paint(int[] ids, int value) {
        if (ids.length != width * height) {
            throw new IllegalArgumentException("expected " + width * height + " pixels, got " + ids.length);
        }
        long position = 0;
        for (int i = 0; i < counts.length; i++) {
            if ((i & 1) == 1) {
                for (long p = position; p < position + counts[i]; p++) {
                    ids[(int) (p % height) * width + (int) (p / height)] = value;
                }
            }
            position += counts[i];
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunLengthMask r && r.height == height && r.width == width && Arrays.equals(r.counts, counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "RunLengthMask[" + height + "x" + width + ", area " + area() + "]";
    }
}
