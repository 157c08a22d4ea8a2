package io.adastream.models.io;

import io.adastream.models.io.ImageDecodeException.Reason;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Headers that declare features which would make a decoder allocate far more than the pixel limit (embedded
 * JPEG/PNG in a BMP with a 2 GB image size, chunk and palette lengths beyond the file, ...): each must be refused
 * from the header, before any decoder runs, with an {@link ImageDecodeException}.
 */
class HostileHeaderTest {
    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    void bmpWithEmbeddedJpegAndA2GigabyteImageSizeIsCorrupt() {
        for (int sizeImage : new int[]{0x7fff0000, 0x7fffffff}) {
            byte[] bmp = bmp(64, 64, 24, 4, sizeImage, 54, 0, 12 * 1024);
            assertEquals(12 * 1024, bmp.length);
            ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(bmp));
            assertEquals(Reason.CORRUPT, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("compression 4"), e.getMessage());
        }
        assertReason(Reason.CORRUPT, bmp(64, 64, 24, 5, 0x7fffffff, 54, 0, 12 * 1024));
    }

    @Test
    void bmpFeaturesOutsideThePlainOnesAreRefused() {
        int len = 64 * 64 * 4 + 54 + 1024;
        assertReason(Reason.CORRUPT, bmp(64, 64, 24, 1, 0, 54, 0, len));          // RLE8 with 24 bits
        assertReason(Reason.CORRUPT, bmp(64, 64, 8, 2, 0, 54 + 1024, 0, len));    // RLE4 with 8 bits
        assertReason(Reason.CORRUPT, bmp(64, 64, 24, 3, 0, 54, 0, len));          // bit fields with 24 bits
        assertReason(Reason.CORRUPT, bmp(64, 64, 32, 6, 0, 54, 0, len));          // alpha bit fields
        assertReason(Reason.CORRUPT, bmp(64, 64, 8, 1, 0x7fffffff, 54 + 1024, 0, len)); // RLE8 data beyond the file
        assertReason(Reason.CORRUPT, bmp(64, 64, 8, 0, 0, 0x7fffff00, 0, len));   // pixel data offset beyond the file
        assertReason(Reason.CORRUPT, bmp(64, 64, 8, 0, 0, 20, 0, len));           // pixel data inside the headers
        assertReason(Reason.CORRUPT, bmp(64, 64, 8, 0, 0, 54 + 1024, 0x7fffffff, len)); // palette of 2^31 colours
        assertReason(Reason.CORRUPT, bmp(-64, 64, 24, 0, 0, 54, 0, len));         // negative width
        assertReason(Reason.TOO_LARGE, bmp(64, Integer.MIN_VALUE, 24, 0, 0, 54, 0, len));
        assertReason(Reason.TOO_LARGE, bmp(100_000, 100_000, 24, 0, 0, 54, 0, len));
        assertReason(Reason.TRUNCATED, bmp(1000, 1000, 24, 0, 0, 54, 0, len));    // 3 MB of pixels declared, 17 KB there
        byte[] planes = bmp(64, 64, 24, 0, 0, 54, 0, len);
        planes[26] = 2;
        assertReason(Reason.CORRUPT, planes);
        byte[] headerSize = bmp(64, 64, 24, 0, 0, 54, 0, len);
        headerSize[14] = 64;                                                        // OS/2 2.x header
        assertReason(Reason.CORRUPT, headerSize);
        byte[] profile = v5WithEmbeddedProfile(0x7ffffff0);
        assertReason(Reason.CORRUPT, profile);
    }

    @Test
    void pngFeaturesThatDoNotFitTheFileAreRefused() throws Exception {
        byte[] good = encode(pattern(16, 16), "png");
        decoder.decode(good);
        byte[] depth = good.clone();
        depth[24] = 3;                                                              // bit depth 3
        assertReason(Reason.CORRUPT, depth);
        byte[] rgbDepth = good.clone();
        rgbDepth[24] = 4;                                                           // RGB with 4 bits
        assertReason(Reason.CORRUPT, rgbDepth);
        byte[] interlace = good.clone();
        interlace[28] = 2;
        assertReason(Reason.CORRUPT, interlace);
        byte[] chunk = good.clone();
        ByteBuffer.wrap(chunk).putInt(33, 0x7ffffff0);                              // the chunk after IHDR
        assertReason(Reason.TRUNCATED, chunk);
        byte[] negative = good.clone();
        ByteBuffer.wrap(negative).putInt(33, 0x80000000);
        assertReason(Reason.CORRUPT, negative);
        byte[] noEnd = Arrays.copyOf(good, good.length - 12);                       // IEND cut off
        assertReason(Reason.TRUNCATED, noEnd);
    }

    @Test
    void jpegFeaturesOutsideBaselineAndProgressiveAreRefused() throws Exception {
        byte[] good = encode(pattern(16, 16), "jpeg");
        decoder.decode(good);
        int sof = sofOffset(good);
        byte[] precision = good.clone();
        precision[sof + 4] = 12;
        assertReason(Reason.CORRUPT, precision);
        byte[] lossless = good.clone();
        lossless[sof + 1] = (byte) 0xC3;
        assertReason(Reason.CORRUPT, lossless);
        byte[] arithmetic = good.clone();
        arithmetic[sof + 1] = (byte) 0xC9;
        assertReason(Reason.CORRUPT, arithmetic);
        byte[] zeroHeight = good.clone();
        zeroHeight[sof + 5] = 0;
        zeroHeight[sof + 6] = 0;
        assertReason(Reason.CORRUPT, zeroHeight);
        byte[] sampling = good.clone();
        sampling[sof + 11] = 0x55;                                                  // first component 5x5
        assertReason(Reason.CORRUPT, sampling);
        byte[] wide = good.clone();
        wide[sof + 7] = (byte) 0xFF;
        wide[sof + 8] = (byte) 0xFF;
        assertReason(Reason.TOO_LARGE, wide);
    }

    @Test
    void jpegWithThousandsOfScansIsRefused() throws Exception {
        byte[] good = encode(pattern(16, 16), "jpeg");
        int sos = indexOf(good, 0xFF, 0xDA);
        int eoi = good.length - 2;
        byte[] scan = Arrays.copyOfRange(good, sos, eoi);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(good, 0, sos);
        for (int i = 0; i < 2000; i++) {
            out.write(scan);
        }
        out.write(0xFF);
        out.write(0xD9);
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.inspect(out.toByteArray()));
        assertEquals(Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains("scans"), e.getMessage());
    }

    private void assertReason(Reason expected, byte[] data) {
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.inspect(data));
        assertEquals(expected, e.reason(), e.getMessage());
        assertEquals(expected, assertThrows(ImageDecodeException.class, () -> decoder.decode(data)).reason());
    }

    /** A BMP with a 40-byte info header and the given fields, zero-filled to {@code length} bytes. */
    static byte[] bmp(int width, int height, int bits, int compression, int sizeImage, int dataOffset, int colours,
                      int length) {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(length).putInt(0).putInt(dataOffset);
        b.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) bits).putInt(compression)
                .putInt(sizeImage).putInt(2835).putInt(2835).putInt(colours).putInt(0);
        return b.array();
    }

    private static byte[] v5WithEmbeddedProfile(int profileSize) {
        int length = 14 + 124 + 8 * 8 * 3 + 64;
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(length).putInt(0).putInt(14 + 124);
        b.putInt(124).putInt(8).putInt(8).putShort((short) 1).putShort((short) 24).putInt(0).putInt(0)
                .putInt(2835).putInt(2835).putInt(0).putInt(0);
        b.putInt(14 + 56, 0x4D424544);                                              // 'MBED': embedded profile
        b.putInt(14 + 112, 124).putInt(14 + 116, profileSize);
        return b.array();
    }

    private static int sofOffset(byte[] jpeg) {
        int i = indexOf(jpeg, 0xFF, 0xC0);
        assertTrue(i > 0, "no baseline frame header");
        return i;
    }

    private static int indexOf(byte[] d, int a, int b) {
        for (int i = 2; i + 1 < d.length; i++) {
            if ((d[i] & 0xFF) == a && (d[i + 1] & 0xFF) == b) {
                return i;
            }
        }
        return -1;
    }

    static BufferedImage pattern(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, ((x * 12) & 0xFF) << 16 | ((y * 20) & 0xFF) << 8 | ((x * y) & 0xFF));
            }
        }
        return image;
    }

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), "no writer for " + format);
        return out.toByteArray();
    }
}
