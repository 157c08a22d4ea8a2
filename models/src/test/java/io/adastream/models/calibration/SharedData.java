package io.adastream.models.calibration;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** The third-party models and images in {@code ../shared/data} next to the project; tests skip where it is absent. */
public final class SharedData {

    private SharedData() {
    }

    /** {@code ../shared/data/<relative>} from the project root (the module folder's parent), or the test is skipped. */
    public static Path require(String relative) {
        Path root = Path.of("").toAbsolutePath().getParent();
        Path p = root == null ? Path.of(relative) : root.resolveSibling("shared").resolve("data").resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), "skipped: " + p + " is absent (the shared third-party data is not checked out)");
        return p;
    }
}
