package io.adastream.models.data;

import java.util.Locale;

/** How the frames of a labelled folder are split into domains: by file-name prefix (before the first '_') or by folder. */
public enum DomainRule {
    /** The part of the file name before the first underscore, e.g. {@code 0001TP} for {@code 0001TP_008550.jpg}. */
    PREFIX,
    /** The name of the folder holding the image. */
    FOLDER;

    /** The name on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code prefix} or {@code folder} (any case). */
    public static DomainRule parse(String text) {
        for (DomainRule r : values()) {
            if (r.id().equalsIgnoreCase(text.trim())) {
                return r;
            }
        }
        throw new IllegalArgumentException("domains must be by prefix or folder, got '" + text + "'");
    }

    /** The domain of an image file name {@code name} (without extension) in folder {@code folder}. */
    public String domainOf(String name, String folder) {
        if (this == FOLDER) {
            return folder;
        }
        int cut = name.indexOf('_');
        return cut <= 0 ? name : name.substring(0, cut);
    }
}
