package io.adastream.metrics;

/** The HTTP methods the read endpoints answer ({@code GET}, {@code HEAD}); anything else is a 405. */
final class Methods {

    static final String READ = "GET, HEAD";

    private Methods() {
    }

    static boolean isRead(String method) {
        return method.equals("GET") || method.equals("HEAD");
    }
}
