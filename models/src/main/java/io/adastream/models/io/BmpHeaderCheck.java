package io.adastream.models.io;

import io.adastream.models.io.ImageDecodeException.Reason;

import static io.adastream.models.io.Bytes.leInt;
import static io.adastream.models.io.Bytes.leShort;
import static io.adastream.models.io.Bytes.leUInt;

/**
 * The BMP header check: the Windows 3 (40-byte), V4 (108) and V5 (124) info headers and the OS/2 1.x core header
 * (12), one plane, uncompressed 1/4/8/16/24/32 bits, RLE8 at 8 bits, RLE4 at 4 bits, bit fields at 16 and 32 bits.
 * Embedded JPEG or PNG, alpha bit fields, colour profiles, a palette or pixel data that does not lie inside the
 * file, and a declared image size beyond the file are refused: the decoder would allocate by those numbers.
 */
final class BmpHeaderCheck {
    private static final int FILE_HEADER = 14;
    private static final int CORE_HEADER = 12;
    private static final int INFO_HEADER = 40;
    private static final int BITFIELDS_MASKS = 12;
    private static final int PROFILE_LINKED = 0x4C494E4B;
    private static final int PROFILE_EMBEDDED = 0x4D424544;

    private BmpHeaderCheck() {
    }

    static ImageHeader read(byte[] d, DecodeLimits limits) throws ImageDecodeException {
        if (d.length < FILE_HEADER + 4) {
            throw new ImageDecodeException(Reason.TRUNCATED, "BMP shorter than its headers");
        }
        long dataOffset = leUInt(d, 10);
        long dibSize = leUInt(d, 14);
        if (dibSize != CORE_HEADER && dibSize != INFO_HEADER && dibSize != 108 && dibSize != 124) {
            throw new ImageDecodeException(Reason.CORRUPT, "BMP header size " + dibSize + " is not supported");
        }
        if (d.length < FILE_HEADER + dibSize) {
            throw new ImageDecodeException(Reason.TRUNCATED, "BMP info header cut off");
        }
        boolean core = dibSize == CORE_HEADER;
        long width = core ? leShort(d, 18) : leInt(d, 18);
        long height = core ? leShort(d, 20) : Math.abs((long) leInt(d, 22));
        int planes = core ? leShort(d, 22) : leShort(d, 26);
        int bits = core ? leShort(d, 24) : leShort(d, 28);
        int compression = core ? 0 : leInt(d, 30);
        long sizeImage = core ? 0 : leUInt(d, 34);
        long colours = core ? 0 : leUInt(d, 46);
        ImageHeader header = HeaderReader.header(ImageFormat.BMP, width, height, bits == 32 ? 4 : 3, limits);
        if (planes != 1) {
            throw new ImageDecodeException(Reason.CORRUPT, "BMP with " + planes + " planes");
        }
        checkCoding(bits, compression, core);
        if (dibSize >= 108) {
            int colourSpace = leInt(d, FILE_HEADER + 56);
            if (colourSpace == PROFILE_LINKED || colourSpace == PROFILE_EMBEDDED) {
                throw new ImageDecodeException(Reason.CORRUPT, "BMP with a linked or embedded colour profile is not supported");
            }
        }
        long paletteCapacity = bits <= 8 ? 1L << bits : 256;
        if (colours > paletteCapacity) {
            throw new ImageDecodeException(Reason.CORRUPT, "BMP palette of " + colours + " colours at " + bits + " bits");
        }
        long headersEnd = FILE_HEADER + dibSize + (compression == 3 && dibSize == INFO_HEADER ? BITFIELDS_MASKS : 0);
        long paletteEntries = bits <= 8 ? (colours == 0 ? paletteCapacity : colours) : colours;
        long paletteEnd = headersEnd + paletteEntries * (core ? 3 : 4);
        if (dataOffset < headersEnd || dataOffset >= d.length) {
            throw new ImageDecodeException(Reason.CORRUPT, "BMP pixel data offset " + dataOffset + " outside "
                    + headersEnd + ".." + (d.length - 1));
        }
        if (bits <= 8 && paletteEnd > d.length) {
            throw new ImageDecodeException(Reason.TRUNCATED, "BMP palette of " + paletteEntries + " colours cut off");
        }
        long available = d.length - dataOffset;
        if (sizeImage > available) {
            throw new ImageDecodeException(Reason.CORRUPT, "BMP declares " + sizeImage + " bytes of image data but "
                    + available + " follow");
        }
        if (compression == 0 || compression == 3) {
            long rowBytes = (width * bits + 31) / 32 * 4;
            if (rowBytes * height > available) {
                throw new ImageDecodeException(Reason.TRUNCATED, "BMP needs " + rowBytes * height
                        + " bytes of pixel data, " + available + " follow");
            }
        }
        return header;
    }

    private static void checkCoding(int bits, int compression, boolean core) throws ImageDecodeException {
        boolean ok = switch (compression) {
            case 0 -> bits == 1 || bits == 4 || bits == 8 || bits == 24 || (!core && (bits == 16 || bits == 32));
            case 1 -> bits == 8;
            case 2 -> bits == 4;
            case 3 -> bits == 16 || bits == 32;
            default -> false;
        };
        if (!ok) {
            String what = switch (compression) {
                case 4 -> " (embedded JPEG)";
                case 5 -> " (embedded PNG)";
                default -> "";
            };
            throw new ImageDecodeException(Reason.CORRUPT, "BMP compression " + compression + what + " with " + bits
                    + " bits per pixel is not supported");
        }
    }
}
