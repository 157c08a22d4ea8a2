package io.adastream.models.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Lists the labelled images of a folder, grouped into domains and in file-name order within each domain (for video,
 * temporal order). The images are those of the folder itself and of its direct subfolders. Layout {@code camvid}:
 * the mask of {@code F/NAME.jpg} is {@code Fannot/NAME.png} (or {@code LABELS/NAME.png} when a labels folder is
 * given); folders whose name ends in {@code annot} hold labels, not images. Layout {@code yolo}: the boxes of
 * {@code F/NAME.jpg} are in {@code LABELS/NAME.txt} (a subfolder's in {@code LABELS/SUB/NAME.txt}), the labels folder
 * being, unless given, {@code labels/X} for {@code images/X} and {@code labels} beside any other folder; a missing
 * text file means no objects.
 */
public final class LabelledFolder {

    private static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".bmp");

    private LabelledFolder() {
    }

    /**
     * The domains of {@code data} (in order of their names) with their images in file-name order.
     *
     * @param labels the labels folder, or null for the layout's default
     * @throws IllegalArgumentException when the folder has no images or a camvid image has no mask
     */
    public static Map<String, List<LabelledImage>> list(Path data, Path labels, LabelLayout layout, DomainRule rule)
            throws IOException {
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException(data + " is not a folder");
        }
        List<LabelledImage> all = new ArrayList<>();
        add(all, data, labelFolder(data, labels, layout, null), layout, rule);
        for (Path sub : subfolders(data)) {
            String name = sub.getFileName().toString();
            if (name.toLowerCase(Locale.ROOT).endsWith("annot") || name.equals("labels") || sub.equals(labels)) {
                continue;
            }
            add(all, sub, labelFolder(sub, labels, layout, name), layout, rule);
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no labelled images in " + data + " or its subfolders (layout "
                    + layout.id() + ")");
        }
        all.sort(Comparator.comparing(LabelledImage::domain).thenComparing(LabelledImage::name));
        Map<String, List<LabelledImage>> domains = new LinkedHashMap<>();
        for (LabelledImage image : all) {
            domains.computeIfAbsent(image.domain(), d -> new ArrayList<>()).add(image);
        }
        domains.replaceAll((d, list) -> List.copyOf(list));
        return domains;
    }

    /** Where the labels of the images of {@code folder} are, or null when there are none for this layout. */
    private static Path labelFolder(Path folder, Path labels, LabelLayout layout, String sub) {
        if (layout == LabelLayout.CAMVID) {
            if (labels != null) {
                return sub == null ? labels : labels.resolve(sub);
            }
            return folder.resolveSibling(folder.getFileName() + "annot");
        }
        if (labels != null) {
            return sub == null ? labels : labels.resolve(sub);
        }
        return defaultYoloLabels(folder);
    }

    /** {@code images/X} pairs with {@code labels/X}, {@code images} with {@code labels}, any other F with {@code labels} beside it. */
    static Path defaultYoloLabels(Path folder) {
        Path parent = folder.getParent();
        if (folder.getFileName().toString().equals("images") || parent == null) {
            return folder.resolveSibling("labels");
        }
        if (parent.getFileName() != null && parent.getFileName().toString().equals("images")) {
            return parent.resolveSibling("labels").resolve(folder.getFileName());
        }
        return folder.resolveSibling("labels");
    }

    private static void add(List<LabelledImage> out, Path folder, Path labels, LabelLayout layout, DomainRule rule)
            throws IOException {
        if (layout == LabelLayout.CAMVID && (labels == null || !Files.isDirectory(labels))) {
            return;
        }
        String folderName = folder.getFileName().toString();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path image : files.filter(LabelledFolder::isImage).sorted().toList()) {
                String file = image.getFileName().toString();
                String name = file.substring(0, file.lastIndexOf('.'));
                Path label;
                if (layout == LabelLayout.CAMVID) {
                    label = labels.resolve(name + ".png");
                    if (!Files.isRegularFile(label)) {
                        throw new IllegalArgumentException("image " + image + " has no mask " + label);
                    }
                } else {
                    Path text = labels.resolve(name + ".txt");
                    label = Files.isRegularFile(text) ? text : null;
                }
                out.add(new LabelledImage(name, rule.domainOf(name, folderName), image, label));
            }
        }
    }

    private static List<Path> subfolders(Path data) throws IOException {
        try (Stream<Path> files = Files.list(data)) {
            return files.filter(Files::isDirectory).sorted().toList();
        }
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && EXTENSIONS.stream().anyMatch(n::endsWith);
    }
}
