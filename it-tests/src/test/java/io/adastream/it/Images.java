package io.adastream.it;

import io.adastream.adapt.testing.TinySegmenter;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Frames (good and bad) as the bytes a producer would send. */
final class Images {

    /** The side of the served model\'s square frames. */
    static final int SIZE = TinySegmenter.SERVICE.size();

    private Images() {
    }

    /** A random RGB image of a domain: brightness offset per domain, pixels from the seed. */
    static BufferedImage rgb(long seed, int width, int height, int offset, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        Random r = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = Math.min(255, offset + r.nextInt(256 - Math.min(offset, 200)));
                int rgb = (v << 16) | (Math.min(255, v + 20) << 8) | Math.max(0, v - 20);
                image.setRGB(x, y, type == BufferedImage.TYPE_INT_ARGB ? (0x80 << 24) | rgb : rgb);
            }
        }
        return image;
    }

    /** A 16x16 PNG frame of a domain. */
    static byte[] png(long seed, int offset) {
        return encode(rgb(seed, SIZE, SIZE, offset, BufferedImage.TYPE_INT_RGB), "png");
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] jpeg(long seed) {
        return encode(rgb(seed, 32, 32, 60, BufferedImage.TYPE_INT_RGB), "jpeg");
    }

    static byte[] truncated(byte[] data) {
        return Arrays.copyOf(data, data.length / 2);
    }

    /** A grey (1-channel) PNG. */
    static byte[] greyPng(long seed) {
        BufferedImage grey = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
        grey.getGraphics().drawImage(rgb(seed, SIZE, SIZE, 40, BufferedImage.TYPE_INT_RGB), 0, 0, null);
        return encode(grey, "png");
    }

    /** An RGBA (4-channel) PNG. */
    static byte[] rgbaPng(long seed) {
        return encode(rgb(seed, SIZE, SIZE, 40, BufferedImage.TYPE_INT_ARGB), "png");
    }

    /** A baseline JPEG header declaring 4 components (CMYK), which the decoder cannot take. */
    static byte[] cmykJpeg() {
        return new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xC0, 0, 20, 8, 0, 8, 0, 8, 4,
                1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0, (byte) 0xFF, (byte) 0xD9};
    }

    /**
     * A complete, valid PNG of the given size with every pixel zero, deflated row by row as it is written, so
     * that a huge image costs no memory here: 8192x6144 RGB is a 50-megapixel image (150 MB of pixels) in a
     * few hundred KB; 20000x20000 grey is a decompression bomb (400 MB of pixels) in about 400 KB.
     */
    static byte[] zeroPng(int width, int height, boolean rgb) {
        int bytesPerPixel = rgb ? 3 : 1;
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        byte[] row = new byte[1 + width * bytesPerPixel]; // filter byte 0 and zero pixels
        byte[] buf = new byte[64 * 1024];
        for (int y = 0; y < height; y++) {
            deflater.setInput(row);
            while (!deflater.needsInput()) {
                int n = deflater.deflate(buf);
                idat.write(buf, 0, n);
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            int n = deflater.deflate(buf);
            idat.write(buf, 0, n);
        }
        deflater.end();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(png)) {
            out.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
            ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                    .put((byte) 8).put((byte) (rgb ? 2 : 0)).put((byte) 0).put((byte) 0).put((byte) 0);
            chunk(out, "IHDR", ihdr.array());
            chunk(out, "IDAT", idat.toByteArray());
            chunk(out, "IEND", new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(data.length);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    /** A float32 tensor frame (little endian) of the model's input shape, every value NaN. */
    static byte[] nanTensor() {
        int n = 3 * SIZE * SIZE;
        ByteBuffer b = ByteBuffer.allocate(n * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(Float.NaN);
        }
        return b.array();
    }

    static byte[] randomBytes(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        b[0] = 0x42; // never a PNG/JPEG/BMP magic by chance
        b[1] = 0x00;
        return b;
    }
}
