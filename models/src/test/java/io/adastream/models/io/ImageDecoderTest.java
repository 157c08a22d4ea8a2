package io.adastream.models.io;

import io.adastream.models.io.ImageDecodeException.Reason;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageDecoderTest {
    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    void decodesPngAndBmpExactlyAndJpegApproximately() throws Exception {
        BufferedImage source = pattern(20, 12, BufferedImage.TYPE_INT_RGB);
        for (String format : new String[]{"png", "bmp"}) {
            BufferedImage decoded = decoder.decode(encode(source, format));
            assertEquals(BufferedImage.TYPE_INT_RGB, decoded.getType());
            assertEquals(20, decoded.getWidth());
            assertEquals(12, decoded.getHeight());
            for (int y = 0; y < 12; y++) {
                for (int x = 0; x < 20; x++) {
                    assertEquals(source.getRGB(x, y), decoded.getRGB(x, y), format + " at " + x + "," + y);
                }
            }
        }
        BufferedImage jpeg = decoder.decode(encode(source, "jpeg"));
        assertEquals(20, jpeg.getWidth());
        assertEquals(12, jpeg.getHeight());
    }

    @Test
    void readsHeadersOfAllFormats() throws Exception {
        BufferedImage source = pattern(33, 17, BufferedImage.TYPE_INT_RGB);
        assertEquals(new ImageHeader(ImageFormat.PNG, 33, 17, 3), decoder.inspect(encode(source, "png")));
        assertEquals(new ImageHeader(ImageFormat.JPEG, 33, 17, 3), decoder.inspect(encode(source, "jpeg")));
        assertEquals(new ImageHeader(ImageFormat.BMP, 33, 17, 3), decoder.inspect(encode(source, "bmp")));
        BufferedImage grey = pattern(9, 7, BufferedImage.TYPE_BYTE_GRAY);
        assertEquals(new ImageHeader(ImageFormat.PNG, 9, 7, 1), decoder.inspect(encode(grey, "png")));
        BufferedImage decodedGrey = decoder.decode(encode(grey, "png"));
        int argb = decodedGrey.getRGB(3, 2);
        assertEquals((argb >> 16) & 0xFF, argb & 0xFF);
    }

    @Test
    void refusesEmptyUnknownAndOversizedInput() throws Exception {
        assertReason(Reason.EMPTY, new byte[0]);
        assertReason(Reason.UNKNOWN_FORMAT, "GIF89a.......".getBytes());
        ImageDecoder small = new ImageDecoder(new DecodeLimits(100, 4096, 4096, 4096L * 4096));
        byte[] png = encode(pattern(20, 20, BufferedImage.TYPE_INT_RGB), "png");
        assertTrue(png.length > 100);
        assertEquals(Reason.TOO_LARGE, assertThrows(ImageDecodeException.class, () -> small.decode(png)).reason());
        ImageDecoder narrow = new ImageDecoder(new DecodeLimits(1 << 20, 16, 4096, 1 << 20));
        assertEquals(Reason.TOO_LARGE, assertThrows(ImageDecodeException.class, () -> narrow.decode(png)).reason());
    }

    @Test
    void refusesADecompressionBombFromItsHeaderAlone() {
        // a valid 60-byte PNG header declaring 100000 x 100000 pixels (40 GB decoded); it must be refused from the
        // header: the IDAT is garbage, so reaching the decoder would give CORRUPT, not TOO_LARGE
        byte[] bomb = pngWithHeader(100_000, 100_000, 2);
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(bomb));
        assertEquals(Reason.TOO_LARGE, e.reason());
        assertTrue(e.getMessage().contains("100000x100000"), e.getMessage());
        // just over the 16M-pixel limit with both sides under 4096 is impossible; 4096x4097 trips the height limit
        assertEquals(Reason.TOO_LARGE, assertThrows(ImageDecodeException.class,
                () -> decoder.inspect(pngWithHeader(4096, 4097, 2))).reason());
        assertEquals(Reason.CORRUPT, assertThrows(ImageDecodeException.class,
                () -> decoder.decode(pngWithHeader(64, 64, 2))).reason());
    }

    @Test
    void truncatedImagesAreReportedAsTruncated() throws Exception {
        BufferedImage source = pattern(40, 40, BufferedImage.TYPE_INT_RGB);
        byte[] png = encode(source, "png");
        assertReason(Reason.TRUNCATED, Arrays.copyOf(png, 20));
        assertReason(Reason.TRUNCATED, Arrays.copyOf(png, png.length - 30));
        byte[] jpeg = encode(source, "jpeg");
        assertReason(Reason.TRUNCATED, Arrays.copyOf(jpeg, 4));
        assertReason(Reason.TRUNCATED, Arrays.copyOf(jpeg, jpeg.length / 2));
        assertReason(Reason.TRUNCATED, Arrays.copyOf(encode(source, "bmp"), 20));
    }

    @Test
    void cmykJpegIsUnsupported() {
        // SOI, then a baseline SOF0 segment declaring 8x8 with 4 components
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xC0, 0, 20, 8, 0, 8, 0, 8, 4,
                1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0, (byte) 0xFF, (byte) 0xD9};
        assertReason(Reason.UNSUPPORTED_CHANNELS, jpeg);
    }

    @Test
    void sniffsMagicBytes() {
        assertEquals(ImageFormat.PNG, ImageFormat.sniff(new byte[]{(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}));
        assertEquals(ImageFormat.JPEG, ImageFormat.sniff(new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0}));
        assertEquals(ImageFormat.BMP, ImageFormat.sniff("BM..".getBytes()));
        assertEquals(null, ImageFormat.sniff(new byte[]{(byte) 0x89, 'P', 'N'}));
    }

    private void assertReason(Reason expected, byte[] data) {
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(data));
        assertEquals(expected, e.reason(), e.getMessage());
    }

    private static BufferedImage pattern(int w, int h, int type) {
        BufferedImage image = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, ((x * 12) & 0xFF) << 16 | ((y * 20) & 0xFF) << 8 | ((x * y) & 0xFF));
            }
        }
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), "no writer for " + format);
        return out.toByteArray();
    }

    /** PNG signature, a correct IHDR for the given size (8-bit), a tiny garbage IDAT and IEND. */
    private static byte[] pngWithHeader(int width, int height, int colourType) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 16 + 12);
        b.put(new byte[]{(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes()).putInt(width).putInt(height).put((byte) 8).put((byte) colourType)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(b, ihdr.array());
        chunk(b, new byte[]{'I', 'D', 'A', 'T', 1, 2, 3, 4});
        chunk(b, "IEND".getBytes());
        return Arrays.copyOf(b.array(), b.position());
    }

    private static void chunk(ByteBuffer b, byte[] typeAndData) {
        CRC32 crc = new CRC32();
        crc.update(typeAndData);
        b.putInt(typeAndData.length - 4).put(typeAndData).putInt((int) crc.getValue());
    }
}
