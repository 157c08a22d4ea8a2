package io.adastream.topology;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real third-party models and images in {@code ../shared/data} (beside the project root), never in the repository. */
final class SharedData {

    private SharedData() {
    }

    /** A file under {@code ../shared/data}; skips the test, saying why, when it is absent. */
    static Path require(String relative) {
        // tests run in the module folder: its parent is the project root
        Path file = Path.of("").toAbsolutePath().getParent().getParent().resolve("shared/data").resolve(relative);
        assumeTrue(Files.isRegularFile(file), "skipped: " + file + " is absent (real models and data live in "
                + "../shared/data beside the project, not in the repository)");
        return file;
    }
}
