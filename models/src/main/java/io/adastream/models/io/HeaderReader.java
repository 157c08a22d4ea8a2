package io.adastream.models.io;

import io.adastream.models.io.ImageDecodeException.Reason;

/** Reads width, height and channel count from PNG, JPEG and BMP headers without decoding pixels. */
final class HeaderReader {
    private static final int PNG_HEADER_BYTES = 8 + 8 + 13;

    private HeaderReader() {
    }

    static ImageHeader read(ImageFormat format, byte[] data) throws ImageDecodeException {
        return switch (format) {
            case PNG -> png(data);
            case JPEG -> jpeg(data);
            case BMP -> bmp(data);
        };
    }

    private static ImageHeader png(byte[] d) throws ImageDecodeException {
        if (d.length < PNG_HEADER_BYTES) {
            throw new ImageDecodeException(Reason.TRUNCATED, "PNG shorter than its IHDR chunk (" + d.length + " bytes)");
        }
        if (beInt(d, 8) != 13 || d[12] != 'I' || d[13] != 'H' || d[14] != 'D' || d[15] != 'R') {
            throw new ImageDecodeException(Reason.CORRUPT, "PNG does not start with an IHDR chunk");
        }
        long width = beInt(d, 16) & 0xFFFFFFFFL;
        long height = beInt(d, 20) & 0xFFFFFFFFL;
        int colourType = d[25] & 0xFF;
        int channels = switch (colourType) {
            case 0 -> 1;
            case 2, 3 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> throw new ImageDecodeException(Reason.CORRUPT, "PNG colour type " + colourType);
        };
        return header(ImageFormat.PNG, width, height, channels);
    }

    private static ImageHeader jpeg(byte[] d) throws ImageDecodeException {
        int i = 2;
        while (true) {
            while (i < d.length && (d[i] & 0xFF) != 0xFF) {
                i++;
            }
            while (i < d.length && (d[i] & 0xFF) == 0xFF) {
                i++;
            }
            if (i >= d.length) {
                throw new ImageDecodeException(Reason.TRUNCATED, "JPEG ends before its frame header");
            }
            int marker = d[i] & 0xFF;
            i++;
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                throw new ImageDecodeException(Reason.CORRUPT, "JPEG has no frame header before its scan");
            }
            if (i + 2 > d.length) {
                throw new ImageDecodeException(Reason.TRUNCATED, "JPEG segment length cut off");
            }
            int length = beShort(d, i);
            if (length < 2) {
                throw new ImageDecodeException(Reason.CORRUPT, "JPEG segment length " + length);
            }
            boolean frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (frame) {
                if (i + 8 > d.length) {
                    throw new ImageDecodeException(Reason.TRUNCATED, "JPEG frame header cut off");
                }
                int height = beShort(d, i + 3);
                int width = beShort(d, i + 5);
                int components = d[i + 7] & 0xFF;
                if (components != 1 && components != 3) {
                    throw new ImageDecodeException(Reason.UNSUPPORTED_CHANNELS,
                            "JPEG with " + components + " components (only grey and YCbCr/RGB are supported)");
                }
                return header(ImageFormat.JPEG, width, height, components);
            }
            i += length;
        }
    }

    private static ImageHeader bmp(byte[] d) throws ImageDecodeException {
        if (d.length < 26) {
            throw new ImageDecodeException(Reason.TRUNCATED, "BMP shorter than its headers");
        }
        int dibSize = leInt(d, 14);
        long width;
        long height;
        int bitsPerPixel;
        if (dibSize == 12) {
            width = leShort(d, 18);
            height = leShort(d, 20);
            bitsPerPixel = leShort(d, 24);
        } else if (dibSize >= 40) {
            if (d.length < 30) {
                throw new ImageDecodeException(Reason.TRUNCATED, "BMP info header cut off");
            }
            width = leInt(d, 18);
            height = Math.abs((long) leInt(d, 22));
            bitsPerPixel = leShort(d, 28);
        } else {
            throw new ImageDecodeException(Reason.CORRUPT, "BMP header size " + dibSize);
        }
        int channels = switch (bitsPerPixel) {
            case 1, 4, 8, 16, 24 -> 3;
            case 32 -> 4;
            default -> throw new ImageDecodeException(Reason.UNSUPPORTED_CHANNELS, "BMP with " + bitsPerPixel + " bits per pixel");
        };
        return header(ImageFormat.BMP, width, height, channels);
    }

    private static ImageHeader header(ImageFormat format, long width, long height, int channels)
            throws ImageDecodeException {
        if (width <= 0 || height <= 0) {
            throw new ImageDecodeException(Reason.CORRUPT, format + " declares " + width + "x" + height);
        }
        if (width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw new ImageDecodeException(Reason.TOO_LARGE, format + " declares " + width + "x" + height);
        }
        return new ImageHeader(format, (int) width, (int) height, channels);
    }

    private static int beInt(byte[] d, int i) {
        return ((d[i] & 0xFF) << 24) | ((d[i + 1] & 0xFF) << 16) | ((d[i + 2] & 0xFF) << 8) | (d[i + 3] & 0xFF);
    }

    private static int beShort(byte[] d, int i) {
        return ((d[i] & 0xFF) << 8) | (d[i + 1] & 0xFF);
    }

    private static int leInt(byte[] d, int i) {
        return (d[i] & 0xFF) | ((d[i + 1] & 0xFF) << 8) | ((d[i + 2] & 0xFF) << 16) | ((d[i + 3] & 0xFF) << 24);
    }

    private static int leShort(byte[] d, int i) {
        return (d[i] & 0xFF) | ((d[i + 1] & 0xFF) << 8);
    }
}
