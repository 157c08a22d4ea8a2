package io.adastream.models.io;

import io.adastream.models.io.ImageDecodeException.Reason;

/**
 * Reads width, height and channel count from PNG, JPEG and BMP headers without decoding pixels, and refuses every
 * header feature the decoders do not need to support: anything that would make a decoder allocate or work beyond
 * what the pixel count and the file's own length allow.
 */
final class HeaderReader {

    private HeaderReader() {
    }

    static ImageHeader read(ImageFormat format, byte[] data, DecodeLimits limits) throws ImageDecodeException {
        return switch (format) {
            case PNG -> PngHeaderCheck.read(data, limits);
            case JPEG -> JpegHeaderCheck.read(data, limits);
            case BMP -> BmpHeaderCheck.read(data, limits);
        };
    }

    /** The header, once its size is known to be positive and within {@code limits}. */
    static ImageHeader header(ImageFormat format, long width, long height, int channels, DecodeLimits limits)
            throws ImageDecodeException {
        if (width <= 0 || height <= 0) {
            throw new ImageDecodeException(Reason.CORRUPT, format + " declares " + width + "x" + height);
        }
        if (width > limits.maxWidth() || height > limits.maxHeight() || width * height > limits.maxPixels()) {
            throw new ImageDecodeException(Reason.TOO_LARGE, format + " declares " + width + "x" + height
                    + ", over the limit of " + limits.maxWidth() + "x" + limits.maxHeight() + " / "
                    + limits.maxPixels() + " pixels");
        }
        return new ImageHeader(format, (int) width, (int) height, channels);
    }
}
