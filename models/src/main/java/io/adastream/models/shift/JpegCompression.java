package io.adastream.models.shift;

import io.adastream.models.util.SplitMix64;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * ImageNet-C {@code jpeg_compression}: a round trip through a baseline JPEG encoder at IJG quality q =
 * [65, 58, 50, 40, 25] from Tiny-ImageNet-C ({@code make_tinyimagenet_c.py}, 64x64; ImageNet-C 224x224: [25, 18,
 * 15, 10, 7]). Adaptation: the JDK's ImageIO encoder (same IJG quality scaling, 4:2:0 chroma subsampling) instead
 * of PIL's libjpeg; pixels are first rounded to 8 bits.
 */
final class JpegCompression implements CorruptionKernel {
    static final int[] QUALITY = {65, 58, 50, 40, 25};

    @Override
    public void apply(float[] src, float[] dst, int width, int height, int severity, SplitMix64 rng) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] packed = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int p = 0, o = 0; p < packed.length; p++, o += 3) {
            packed[p] = (toByte(src[o]) << 16) | (toByte(src[o + 1]) << 8) | toByte(src[o + 2]);
        }
        BufferedImage decoded = decode(encode(image, QUALITY[severity - 1] / 100f));
        int[] argb = decoded.getRGB(0, 0, width, height, null, 0, width);
        for (int p = 0, o = 0; p < argb.length; p++, o += 3) {
            dst[o] = ((argb[p] >> 16) & 0xFF) / 255f;
            dst[o + 1] = ((argb[p] >> 8) & 0xFF) / 255f;
            dst[o + 2] = (argb[p] & 0xFF) / 255f;
        }
    }

    private static byte[] encode(BufferedImage image, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG encoding failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static BufferedImage decode(byte[] jpeg) {
        try {
            return ImageIO.read(new ByteArrayInputStream(jpeg));
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG decoding failed", e);
        }
    }

    private static int toByte(float v) {
        int b = Math.round(v * 255f);
        return b < 0 ? 0 : Math.min(b, 255);
    }
}
