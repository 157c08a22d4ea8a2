package io.adastream.models.io;

import io.adastream.models.io.ImageDecodeException.Reason;

import static io.adastream.models.io.Bytes.beUInt;

/**
 * The PNG header check: an IHDR with a valid bit depth for its colour type, compression and filter method 0 and
 * interlace 0 or 1; then every chunk up to IEND must lie inside the file (a chunk length is what the decoder
 * allocates by), with at most one well-formed palette.
 */
final class PngHeaderCheck {
    private static final int SIGNATURE = 8;
    private static final int HEADER_BYTES = SIGNATURE + 8 + 13;
    private static final long MAX_CHUNK = 0x7FFFFFFFL;

    private PngHeaderCheck() {
    }

    static ImageHeader read(byte[] d, DecodeLimits limits) throws ImageDecodeException {
        if (d.length < HEADER_BYTES) {
            throw new ImageDecodeException(Reason.TRUNCATED, "PNG shorter than its IHDR chunk (" + d.length + " bytes)");
        }
        if (beUInt(d, 8) != 13 || !isType(d, 12, "IHDR")) {
            throw new ImageDecodeException(Reason.CORRUPT, "PNG does not start with an IHDR chunk");
        }
        long width = beUInt(d, 16);
        long height = beUInt(d, 20);
        int depth = d[24] & 0xFF;
        int colourType = d[25] & 0xFF;
        int channels = switch (colourType) {
            case 0 -> 1;
            case 2, 3 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> throw new ImageDecodeException(Reason.CORRUPT, "PNG colour type " + colourType);
        };
        if (width > MAX_CHUNK || height > MAX_CHUNK) {
            throw new ImageDecodeException(Reason.CORRUPT, "PNG declares " + width + "x" + height);
        }
        ImageHeader header = HeaderReader.header(ImageFormat.PNG, width, height, channels, limits);
        if (!validDepth(colourType, depth)) {
            throw new ImageDecodeException(Reason.CORRUPT, "PNG bit depth " + depth + " with colour type " + colourType);
        }
        if (d[26] != 0 || d[27] != 0 || (d[28] != 0 && d[28] != 1)) {
            throw new ImageDecodeException(Reason.CORRUPT, "PNG compression " + d[26] + ", filter " + d[27]
                    + ", interlace " + d[28]);
        }
        checkChunks(d, colourType, depth);
        return header;
    }

    private static void checkChunks(byte[] d, int colourType, int depth) throws ImageDecodeException {
        int i = SIGNATURE;
        boolean palette = false;
        boolean data = false;
        while (true) {
            if (i + 8 > d.length) {
                throw new ImageDecodeException(Reason.TRUNCATED, "PNG ends before its IEND chunk");
            }
            long length = beUInt(d, i);
            if (length > MAX_CHUNK) {
                throw new ImageDecodeException(Reason.CORRUPT, "PNG chunk length " + length);
            }
            if (i + 12 + length > d.length) {
                throw new ImageDecodeException(Reason.TRUNCATED, "PNG chunk of " + length + " bytes at " + i
                        + " runs past the end (" + d.length + " bytes)");
            }
            if (isType(d, i + 4, "IEND")) {
                if (!data) {
                    throw new ImageDecodeException(Reason.CORRUPT, "PNG has no IDAT chunk");
                }
                if (colourType == 3 && !palette) {
                    throw new ImageDecodeException(Reason.CORRUPT, "palette PNG without a PLTE chunk");
                }
                return;
            }
            if (isType(d, i + 4, "IDAT")) {
                data = true;
            } else if (isType(d, i + 4, "PLTE")) {
                if (palette || length == 0 || length % 3 != 0 || length / 3 > (colourType == 3 ? 1L << depth : 256)) {
                    throw new ImageDecodeException(Reason.CORRUPT, "PNG palette of " + length + " bytes");
                }
                palette = true;
            } else if (i > SIGNATURE && isType(d, i + 4, "IHDR")) {
                throw new ImageDecodeException(Reason.CORRUPT, "PNG with a second IHDR chunk");
            }
            i += (int) (12 + length);
        }
    }

    private static boolean validDepth(int colourType, int depth) {
        return switch (colourType) {
            case 0 -> depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
            case 3 -> depth == 1 || depth == 2 || depth == 4 || depth == 8;
            default -> depth == 8 || depth == 16;
        };
    }

    private static boolean isType(byte[] d, int i, String type) {
        for (int k = 0; k < 4; k++) {
            if (d[i + k] != type.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
