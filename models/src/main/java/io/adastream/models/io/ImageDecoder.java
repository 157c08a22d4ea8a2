package io.adastream.models.io;

import io.adastream.models.io.ImageDecodeException.Reason;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.util.Iterator;

/**
 * Decodes PNG, JPEG and BMP bytes into an 8-bit RGB {@link BufferedImage} ({@code TYPE_INT_RGB}; alpha composited
 * over black, grey expanded). The format is sniffed from magic bytes and the byte count, width, height and pixel count are
 * checked against {@link DecodeLimits} from the header before any pixel is allocated, so a decompression bomb is
 * refused cheaply, and so is every header feature that would make a decoder allocate by a number other than the
 * pixel count (see {@link HeaderReader}). Whatever the decoder still throws (but a fatal virtual-machine error) is an
 * {@link ImageDecodeException}; so is an {@link OutOfMemoryError} or {@link StackOverflowError} from inside the
 * decoder, which one oversized request causes and unwinding releases. Thread-safe.
 */
public final class ImageDecoder {
    private static final int JPEG_EOI_SEARCH = 1024;

    private final DecodeLimits limits;

    public ImageDecoder(DecodeLimits limits) {
        this.limits = limits;
    }

    public ImageDecoder() {
        this(DecodeLimits.DEFAULT);
    }

    /** The limits this decoder checks. */
    public DecodeLimits limits() {
        return limits;
    }

    /** Sniffs the format and reads and checks the header, without decoding pixels. */
    public ImageHeader inspect(byte[] data) throws ImageDecodeException {
        if (data == null || data.length == 0) {
            throw new ImageDecodeException(Reason.EMPTY, "no image bytes");
        }
        if (data.length > limits.maxBytes()) {
            throw new ImageDecodeException(Reason.TOO_LARGE, data.length + " bytes exceed the limit of " + limits.maxBytes());
        }
        ImageFormat format = ImageFormat.sniff(data);
        if (format == null) {
            throw new ImageDecodeException(Reason.UNKNOWN_FORMAT, "magic bytes match none of PNG, JPEG, BMP");
        }
        ImageHeader header = HeaderReader.read(format, data, limits);
        return header;
    }

    /** Decodes the image after {@link #inspect}'s checks. */
    public BufferedImage decode(byte[] data) throws ImageDecodeException {
        ImageHeader header = inspect(data);
        if (header.format() == ImageFormat.JPEG && !endsWithEndOfImage(data)) {
            throw new ImageDecodeException(Reason.TRUNCATED, "JPEG has no end-of-image marker");
        }
        BufferedImage image = read(header.format(), data);
        if (image.getWidth() != header.width() || image.getHeight() != header.height()) {
            throw new ImageDecodeException(Reason.CORRUPT, "decoded " + image.getWidth() + "x" + image.getHeight()
                    + " but the header declares " + header.width() + "x" + header.height());
        }
        return toRgb(image);
    }

    private static BufferedImage read(ImageFormat format, byte[] data) throws ImageDecodeException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
        if (!readers.hasNext()) {
            throw new ImageDecodeException(Reason.UNKNOWN_FORMAT, "no decoder for " + format);
        }
        ImageReader reader = readers.next();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            reader.setInput(in, true, true);
            return reader.read(0);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // one request for an absurd buffer or recursion depth, released as the error unwinds: the input's fault
            throw new ImageDecodeException(Reason.CORRUPT, format + " decoder failed: " + e, e);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            Reason reason = hasCause(e, EOFException.class) ? Reason.TRUNCATED : Reason.CORRUPT;
            throw new ImageDecodeException(reason, format + " data could not be decoded: " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
    }

    private static BufferedImage toRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }

    private static boolean endsWithEndOfImage(byte[] d) {
        int from = Math.max(2, d.length - JPEG_EOI_SEARCH);
        for (int i = d.length - 2; i >= from; i--) {
            if ((d[i] & 0xFF) == 0xFF && (d[i + 1] & 0xFF) == 0xD9) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
