package io.adastream.models.io;

import org.junit.jupiter.api.Test;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded mutation fuzzing of the decoder: valid PNG, JPEG and BMP files (several codings each) with byte flips,
 * inserted and removed runs and header fields overwritten with boundary values. Whatever the input, the decoder
 * must throw nothing but {@link ImageDecodeException}, and every image it accepts must match its header and the
 * pixel limit. {@code -Dfuzz.iterations=N} and {@code -Dfuzz.seed=S} change the run ({@code scripts/fuzz.sh}).
 */
class ImageDecoderFuzzTest {
    private static final long[] BOUNDARIES = {0, 1, 2, 3, 4, 7, 8, 12, 13, 16, 40, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF,
            0x8000, 0xFFFF, 0x10000, 0x7FFFFFFFL, 0x80000000L, 0xFFFFFFFFL, 0x7FFF0000L, 0xFFFFFFF0L};
    private static final DecodeLimits LIMITS = new DecodeLimits(1 << 20, 512, 512, 128 * 128);

    @Test
    void mutatedImagesGiveOnlyDecodeExceptionsOrImagesWithinTheLimits() throws Exception {
        int iterations = Integer.getInteger("fuzz.iterations", 100_000);
        long seed = Long.getLong("fuzz.seed", 20_261_201L);
        List<byte[]> seeds = seeds();
        ImageDecoder decoder = new ImageDecoder(LIMITS);
        SplittableRandom random = new SplittableRandom(seed);
        int reachedDecoder = 0;
        int decoded = 0;
        long start = System.nanoTime();
        for (int n = 0; n < iterations; n++) {
            byte[] original = seeds.get(n % seeds.size());
            byte[] input = mutate(original, random);
            ImageHeader header;
            try {
                header = decoder.inspect(input);
            } catch (ImageDecodeException e) {
                continue;
            } catch (Throwable t) {
                throw failure("inspect", n, seed, t);
            }
            reachedDecoder++;
            try {
                BufferedImage image = decoder.decode(input);
                decoded++;
                assertEquals(header.width(), image.getWidth());
                assertEquals(header.height(), image.getHeight());
                assertTrue((long) image.getWidth() * image.getHeight() <= LIMITS.maxPixels(), image.toString());
            } catch (ImageDecodeException e) {
                assertTrue(e.getMessage() != null && !e.getMessage().contains("\n"), "one-line message: " + e.getMessage());
            } catch (Throwable t) {
                throw failure("decode", n, seed, t);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("decoder fuzz: %d mutated inputs (seed %d) in %.1f s; %d (%.1f%%) passed the header check"
                        + " and reached the decoder, %d decoded%n", iterations, seed, seconds, reachedDecoder,
                100.0 * reachedDecoder / iterations, decoded);
        assertTrue(reachedDecoder > iterations / 20, "too few mutations reach the decoder: " + reachedDecoder);
    }

    private static AssertionError failure(String step, int n, long seed, Throwable t) {
        AssertionError e = new AssertionError(step + " of mutation " + n + " (seed " + seed + ") threw " + t);
        e.initCause(t);
        return e;
    }

    /** One to four mutations of {@code original}. */
    static byte[] mutate(byte[] original, SplittableRandom random) {
        byte[] d = original.clone();
        int count = 1 + random.nextInt(4);
        for (int k = 0; k < count && d.length > 0; k++) {
            d = switch (random.nextInt(6)) {
                case 0 -> flipBytes(d, random);
                case 1 -> flipBit(d, random);
                case 2 -> insertRun(d, random);
                case 3 -> removeRun(d, random);
                default -> overwriteField(d, random);
            };
        }
        return d;
    }

    private static byte[] flipBytes(byte[] d, SplittableRandom random) {
        int n = 1 + random.nextInt(8);
        for (int i = 0; i < n; i++) {
            d[position(d, random)] = (byte) random.nextInt(256);
        }
        return d;
    }

    private static byte[] flipBit(byte[] d, SplittableRandom random) {
        d[position(d, random)] ^= (byte) (1 << random.nextInt(8));
        return d;
    }

    private static byte[] insertRun(byte[] d, SplittableRandom random) {
        int at = random.nextInt(d.length + 1);
        int length = 1 + random.nextInt(random.nextBoolean() ? 8 : 512);
        byte[] run = new byte[length];
        byte fill = (byte) random.nextInt(256);
        for (int i = 0; i < length; i++) {
            run[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : fill;
        }
        byte[] out = new byte[d.length + length];
        System.arraycopy(d, 0, out, 0, at);
        System.arraycopy(run, 0, out, at, length);
        System.arraycopy(d, at, out, at + length, d.length - at);
        return out;
    }

    private static byte[] removeRun(byte[] d, SplittableRandom random) {
        int at = random.nextInt(d.length);
        int length = Math.min(d.length - at, 1 + random.nextInt(random.nextBoolean() ? 8 : 512));
        byte[] out = new byte[d.length - length];
        System.arraycopy(d, 0, out, 0, at);
        System.arraycopy(d, at + length, out, at, d.length - at - length);
        return out;
    }

    /** A 1-, 2- or 4-byte field, big- or little-endian, set to a boundary value. */
    private static byte[] overwriteField(byte[] d, SplittableRandom random) {
        int width = new int[]{1, 2, 4}[random.nextInt(3)];
        if (d.length < width) {
            return d;
        }
        int at = position(d, random);
        at = Math.min(at, d.length - width);
        long value = BOUNDARIES[random.nextInt(BOUNDARIES.length)];
        if (random.nextInt(4) == 0) {
            value += random.nextInt(3) - 1;
        }
        boolean little = random.nextBoolean();
        for (int i = 0; i < width; i++) {
            int shift = 8 * (little ? i : width - 1 - i);
            d[at + i] = (byte) (value >>> shift);
        }
        return d;
    }

    /** Mostly within the first 160 bytes, where the headers are. */
    private static int position(byte[] d, SplittableRandom random) {
        return random.nextInt(3) > 0 ? random.nextInt(Math.min(d.length, 160)) : random.nextInt(d.length);
    }

    /** Small valid files of every coding the decoder supports. */
    static List<byte[]> seeds() throws IOException, ImageDecodeException {
        List<byte[]> out = new ArrayList<>();
        BufferedImage rgb = HostileHeaderTest.pattern(24, 16);
        BufferedImage grey = new BufferedImage(24, 16, BufferedImage.TYPE_BYTE_GRAY);
        grey.getGraphics().drawImage(rgb, 0, 0, null);
        BufferedImage indexed = new BufferedImage(24, 16, BufferedImage.TYPE_BYTE_INDEXED);
        indexed.getGraphics().drawImage(rgb, 0, 0, null);
        BufferedImage argb = new BufferedImage(24, 16, BufferedImage.TYPE_INT_ARGB);
        argb.getGraphics().drawImage(rgb, 0, 0, null);
        BufferedImage binary = new BufferedImage(24, 16, BufferedImage.TYPE_BYTE_BINARY);
        binary.getGraphics().drawImage(rgb, 0, 0, null);
        for (BufferedImage image : new BufferedImage[]{rgb, grey, indexed, argb, binary}) {
            out.add(HostileHeaderTest.encode(image, "png"));
        }
        out.add(write(rgb, "png", "interlace"));
        out.add(HostileHeaderTest.encode(rgb, "jpeg"));
        out.add(HostileHeaderTest.encode(grey, "jpeg"));
        out.add(write(rgb, "jpeg", "progressive"));
        for (BufferedImage image : new BufferedImage[]{rgb, grey, indexed, binary}) {
            out.add(HostileHeaderTest.encode(image, "bmp"));
        }
        out.add(write(indexed, "bmp", "BI_RLE8"));
        out.add(write(rgb, "bmp", "BI_BITFIELDS"));
        for (byte[] seed : out) {
            new ImageDecoder(LIMITS).decode(seed);
        }
        return out;
    }

    private static byte[] write(BufferedImage image, String format, String mode) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        if (mode.equals("progressive") || mode.equals("interlace")) {
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        } else {
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType(mode);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        byte[] data = bytes.toByteArray();
        assertTrue(data.length > 0);
        return Arrays.copyOf(data, data.length);
    }

    @Test
    void mutationsAreReproducibleFromTheSeed() throws Exception {
        byte[] original = seeds().get(0);
        byte[] a = mutate(original, new SplittableRandom(7));
        byte[] b = mutate(original, new SplittableRandom(7));
        assertTrue(Arrays.equals(a, b));
        if (Arrays.equals(a, original)) {
            fail("a mutation left the input unchanged");
        }
    }
}
