package io.adastream.models.io;

/** The encoded image formats accepted, recognised by their magic bytes. */
public enum ImageFormat {
    PNG("png"),
    JPEG("jpeg"),
    BMP("bmp");

    private final String imageIoName;

    ImageFormat(String imageIoName) {
        this.imageIoName = imageIoName;
    }

    /** The javax.imageio format name. */
    public String imageIoName() {
        return imageIoName;
    }

    /** The format whose magic bytes start {@code data}, or null if none matches. */
    public static ImageFormat sniff(byte[] data) {
        if (startsWith(data, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (startsWith(data, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (startsWith(data, 'B', 'M')) {
            return BMP;
        }
        return null;
    }

    private static boolean startsWith(byte[] data, int... magic) {
        if (data.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((data[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
