package io.adastream.trainer.camvid;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The command line: exit 2 without the data (and nothing written), 2 as well for an unknown option. */
class TrainCamVidTest {
    @TempDir
    Path tmp;

    @Test
    void absentDataExitsTwoAndWritesNothing() {
        Path out = tmp.resolve("out");
        int code = new CommandLine(new TrainCamVid()).execute("--data", tmp.resolve("no-camvid").toString(),
                "--out", out.toString(), "--quick");
        assertEquals(TrainCamVid.NO_DATA, code);
        assertFalse(Files.exists(out));
    }

    @Test
    void unknownOptionIsAUsageError() {
        CommandLine cli = new CommandLine(new TrainCamVid());
        cli.setErr(new PrintWriter(new StringWriter()));
        assertEquals(2, cli.execute("--fast"));
    }
}
