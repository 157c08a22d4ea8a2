package io.adastream.trainer.camvid;

import java.util.List;

/** Frames of one size, in file-name order. Immutable. */
public record CamVidSet(List<CamVidFrame> frames, int width, int height) {
    public CamVidSet {
        frames = List.copyOf(frames);
    }

    public int size() {
        return frames.size();
    }

    public CamVidFrame get(int index) {
        return frames.get(index);
    }

    /** Every {@code step}-th frame, starting with the first. */
    public CamVidSet everyNth(int step) {
        return new CamVidSet(java.util.stream.IntStream.range(0, size()).filter(i -> i % step == 0)
                .mapToObj(frames::get).toList(), width, height);
    }
}
