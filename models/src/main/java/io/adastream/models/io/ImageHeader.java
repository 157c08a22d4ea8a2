package io.adastream.models.io;

/** What an image declares in its header, read before any pixel is decoded. */
public record ImageHeader(ImageFormat format, int width, int height, int channels) {
    public long pixels() {
        return (long) width * height;
    }
}
