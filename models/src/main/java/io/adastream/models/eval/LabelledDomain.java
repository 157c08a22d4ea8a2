package io.adastream.models.eval;

import io.adastream.models.data.LabelledFrameReader;
import io.adastream.models.data.LabelledImage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** One domain of a labelled folder: its name and its frames at the model's input size, in temporal (file-name) order. */
public record LabelledDomain(String name, List<EvalFrame> frames, List<String> frameNames) {
    public LabelledDomain {
        frames = List.copyOf(frames);
        frameNames = List.copyOf(frameNames);
        if (frames.size() != frameNames.size()) {
            throw new IllegalArgumentException("a name per frame: " + frames.size() + " frames, " + frameNames.size() + " names");
        }
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("domain " + name + " has no frames");
        }
    }

    /** Reads the first {@code limit} images of a domain (all when {@code limit} is 0) through {@code reader}. */
    public static LabelledDomain read(String name, List<LabelledImage> images, LabelledFrameReader reader, int limit)
            throws IOException {
        List<EvalFrame> frames = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (LabelledImage image : limit > 0 && images.size() > limit ? images.subList(0, limit) : images) {
            frames.add(reader.read(image));
            names.add(image.name());
        }
        return new LabelledDomain(name, frames, names);
    }
}
