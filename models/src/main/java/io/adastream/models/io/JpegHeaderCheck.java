package io.adastream.models.io;

import io.adastream.models.io.ImageDecodeException.Reason;

import static io.adastream.models.io.Bytes.beShort;

/**
 * The JPEG header check: walks every marker segment and entropy-coded scan up to the end-of-image marker. One frame
 * header, baseline, extended sequential or progressive Huffman (SOF0 to SOF2) with 8-bit precision, a known height,
 * one or three components with sampling factors 1 to 4; at most {@value #MAX_SCANS} scans (a progressive decoder
 * re-reads its whole coefficient buffer per scan); every segment inside the file.
 */
final class JpegHeaderCheck {
    static final int MAX_SCANS = 100;

    private JpegHeaderCheck() {
    }

    static ImageHeader read(byte[] d, DecodeLimits limits) throws ImageDecodeException {
        ImageHeader header = null;
        int scans = 0;
        int i = 2;
        while (true) {
            while (i < d.length && (d[i] & 0xFF) != 0xFF) {
                i++;
            }
            while (i < d.length && (d[i] & 0xFF) == 0xFF) {
                i++;
            }
            if (i >= d.length) {
                throw new ImageDecodeException(Reason.TRUNCATED, header == null
                        ? "JPEG ends before its frame header" : "JPEG ends before its end-of-image marker");
            }
            int marker = d[i] & 0xFF;
            i++;
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue;
            }
            if (marker == 0xD9) {
                if (header == null || scans == 0) {
                    throw new ImageDecodeException(Reason.CORRUPT, "JPEG has no frame header or scan before its end");
                }
                return header;
            }
            if (marker == 0xD8 || marker == 0x00) {
                throw new ImageDecodeException(Reason.CORRUPT, "JPEG marker 0x" + Integer.toHexString(marker) + " out of place");
            }
            if (i + 2 > d.length) {
                throw new ImageDecodeException(Reason.TRUNCATED, "JPEG segment length cut off");
            }
            int length = beShort(d, i);
            if (length < 2) {
                throw new ImageDecodeException(Reason.CORRUPT, "JPEG segment length " + length);
            }
            if (i + length > d.length) {
                throw new ImageDecodeException(Reason.TRUNCATED, "JPEG segment of " + length + " bytes runs past the end");
            }
            if (isFrame(marker)) {
                if (header != null) {
                    throw new ImageDecodeException(Reason.CORRUPT, "JPEG with a second frame header");
                }
                header = frame(d, i, length, marker, limits);
            } else if (marker == 0xDA) {
                if (header == null) {
                    throw new ImageDecodeException(Reason.CORRUPT, "JPEG has no frame header before its scan");
                }
                if (++scans > MAX_SCANS) {
                    throw new ImageDecodeException(Reason.CORRUPT, "JPEG with more than " + MAX_SCANS + " scans");
                }
                i = endOfScan(d, i + length);
                continue;
            }
            i += length;
        }
    }

    private static boolean isFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static ImageHeader frame(byte[] d, int i, int length, int marker, DecodeLimits limits)
            throws ImageDecodeException {
        if (length < 8) {
            throw new ImageDecodeException(Reason.CORRUPT, "JPEG frame header of " + length + " bytes");
        }
        int precision = d[i + 2] & 0xFF;
        int height = beShort(d, i + 3);
        int width = beShort(d, i + 5);
        int components = d[i + 7] & 0xFF;
        if (marker > 0xC2) {
            throw new ImageDecodeException(Reason.CORRUPT, "JPEG coding SOF" + (marker - 0xC0)
                    + " is not supported (only baseline, extended sequential and progressive Huffman)");
        }
        if (precision != 8) {
            throw new ImageDecodeException(Reason.CORRUPT, "JPEG with " + precision + "-bit samples is not supported");
        }
        if (components != 1 && components != 3) {
            throw new ImageDecodeException(Reason.UNSUPPORTED_CHANNELS,
                    "JPEG with " + components + " components (only grey and YCbCr/RGB are supported)");
        }
        if (length != 8 + 3 * components) {
            throw new ImageDecodeException(Reason.CORRUPT, "JPEG frame header of " + length + " bytes for "
                    + components + " components");
        }
        ImageHeader header = HeaderReader.header(ImageFormat.JPEG, width, height, components, limits);
        for (int c = 0; c < components; c++) {
            int sampling = d[i + 8 + 3 * c + 1] & 0xFF;
            int h = sampling >> 4;
            int v = sampling & 0x0F;
            if (h < 1 || h > 4 || v < 1 || v > 4) {
                throw new ImageDecodeException(Reason.CORRUPT, "JPEG sampling factors " + h + "x" + v);
            }
        }
        return header;
    }

    /** The index of the first marker after the entropy-coded data starting at {@code i} (stuffed 0xFF00 and restarts skipped). */
    private static int endOfScan(byte[] d, int i) {
        while (i + 1 < d.length) {
            if ((d[i] & 0xFF) == 0xFF) {
                int next = d[i + 1] & 0xFF;
                if (next != 0x00 && next != 0xFF && (next < 0xD0 || next > 0xD7)) {
                    return i;
                }
            }
            i++;
        }
        return d.length;
    }
}
