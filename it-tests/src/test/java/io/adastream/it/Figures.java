package io.adastream.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The figures a test reports: printed, and appended as Markdown to the file named by the system property
 * {@code reliability.figures} (scripts/reliability.sh turns it into docs/reliability.md).
 */
final class Figures {

    private final StringBuilder text = new StringBuilder();
    private final String title;

    Figures(String title) {
        this.title = title;
        System.out.println("=== " + title);
    }

    /** One figure: a line of the report. */
    Figures line(String format, Object... args) {
        String s = String.format(java.util.Locale.ROOT, format, args);
        System.out.println("    " + s);
        text.append("- ").append(s).append('\n');
        return this;
    }

    /** Writes the section to the figures file. */
    void write(boolean passed) {
        String file = System.getProperty("reliability.figures");
        if (file == null || file.isBlank()) {
            return;
        }
        String section = "### " + title + (passed ? "" : " (FAILED)") + "\n\n" + text + "\n";
        try {
            Path p = Path.of(file);
            Files.createDirectories(p.toAbsolutePath().getParent());
            Files.writeString(p, section, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
