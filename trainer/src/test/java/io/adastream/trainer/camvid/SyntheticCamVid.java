package io.adastream.trainer.camvid;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small CamVid-layout folders for tests: lossless PNG frames and one-channel label PNGs. */
final class SyntheticCamVid {
    private SyntheticCamVid() {
    }

    /** Writes {@code split/name.png} with packed 0xRRGGBB {@code rgb} and {@code splitannot/name.png}. */
    static void write(Path root, String split, String name, int width, int height, int[] rgb, byte[] labels)
            throws IOException {
        Path images = Files.createDirectories(root.resolve(split));
        Path annot = Files.createDirectories(root.resolve(split + "annot"));
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, width, height, rgb, 0, width);
        ImageIO.write(image, "png", images.resolve(name + ".png").toFile());
        BufferedImage label = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        int[] values = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            values[i] = labels[i] & 0xFF;
        }
        label.getRaster().setSamples(0, 0, width, height, 0, values);
        ImageIO.write(label, "png", annot.resolve(name + ".png").toFile());
    }

    /** A frame of one colour and one label everywhere. */
    static void writeUniform(Path root, String split, String name, int rgb, int label) throws IOException {
        int[] pixels = new int[6 * 6];
        java.util.Arrays.fill(pixels, rgb);
        byte[] labels = new byte[6 * 6];
        java.util.Arrays.fill(labels, (byte) label);
        write(root, split, name, 6, 6, pixels, labels);
    }
}
