package io.sipflow.physics.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each problem's own options and suggestions in help; no heat grid in the sin problem's help or console lines. */
class ProblemHelpTest {
    @TempDir
    Path tmp;

    @Test
    void helpListsEveryProblemWithItsOptionsAndSuggestions() {
        for (String command : new String[] {"train", "compare"}) {
            CliErrorPathTest.Run r = CliErrorPathTest.run(command, "--help");
            assertEquals(0, r.code(), r.err());
            String help = r.out();
            assertTrue(help.contains("  heat     invert heat conduction on an R x R periodic grid\n"
                    + "           suggests (your flags win): steps 300, batch 32, resolution 32, lr 0.001, adam-epsilon 1.0E-7,"
                    + " test-batch 64, test-every 50, checkpoint-every 100 (sip)"), help);
            assertTrue(help.contains("  sin      the SIP paper's 2-D problem y = (sin a, b), conditioned by xi\n"
                    + "           --option xi=10: conditioning: a scaled by 10/xi, b by 10*xi\n"
                    + "           --option angle=45: rotation of x in degrees\n"
                    + "           suggests (your flags win): steps 20000, batch 100, lr 0.001, adam-epsilon 1.0E-8,"
                    + " test-batch 1000, test-every 500, checkpoint-every 5000 (sip)"), help);
            assertFalse(help.contains("(default 32)") || help.contains("(default 300)"), "heat's defaults: " + help);
        }
    }

    @Test
    void theSinProblemShowsNoGrid() throws java.io.IOException {
        CliErrorPathTest.Run r = CliErrorPathTest.run("train", "--problem", "sin", "--steps", "2", "--batch", "4",
                "--test-batch", "4", "--threads", "1", "--out", tmp.resolve("sin").toString());
        finishedOrUnstable(r, tmp.resolve("sin"));
        assertTrue(r.out().startsWith("sip: 2 steps, sin xi=10 angle=45, batch 4, seed 0"), r.out());
        assertFalse(r.out().contains("32x32"), r.out());
        String json = java.nio.file.Files.readString(tmp.resolve("sin/run.json"));
        assertFalse(json.contains("\"resolution\""), "a problem without a grid records no resolution: " + json);
        assertTrue(json.contains("\"option.xi\": 10.0"), json);

        CliErrorPathTest.Run grid = CliErrorPathTest.run("train", "--problem", "sin", "--resolution", "16", "--out",
                tmp.resolve("grid").toString());
        assertEquals(2, grid.code());
        assertTrue(grid.err().contains("--resolution: problem sin has no grid; drop it"), grid.err());
    }

    /** Two steps may leave the network worse than x = 0: "unstable", exit 3; anything else is a failure. */
    private static void finishedOrUnstable(CliErrorPathTest.Run r, Path dir) throws java.io.IOException {
        String json = java.nio.file.Files.readString(dir.resolve("run.json"));
        boolean finished = json.contains("\"status\": \"finished\"");
        assertTrue(finished || json.contains("\"status\": \"unstable\""), json);
        assertEquals(finished ? 0 : TrainingRun.DIVERGED, r.code(), r.err());
    }

    @Test
    void theHeatProblemStillNamesItsGrid() throws java.io.IOException {
        CliErrorPathTest.Run r = CliErrorPathTest.run("train", "--steps", "1", "--resolution", "8", "--batch", "2",
                "--test-batch", "2", "--threads", "1", "--out", tmp.resolve("heat").toString());
        finishedOrUnstable(r, tmp.resolve("heat"));
        assertTrue(r.out().startsWith("sip: 1 steps, heat 8x8, batch 2"), r.out());
    }
}
