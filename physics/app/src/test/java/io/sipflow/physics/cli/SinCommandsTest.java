package io.sipflow.physics.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sin problem's compare (every method) and sweep (ξ × method) on a tiny configuration, as CI runs them. */
class SinCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void compareTrainsEveryMethodOnTheSinProblem() throws IOException {
        Path dir = tmp.resolve("cmp");
        CliErrorPathTest.Run r = CliErrorPathTest.run("compare", "--problem", "sin", "--methods", "sip,gd,sgd,hig",
                "--steps", "3", "--batch", "4", "--test-batch", "8", "--option", "xi=10", "--out", dir.toString(),
                "--threads", "1");
        List<String> csv = Files.readAllLines(dir.resolve("comparison.csv"));
        assertEquals("method,final_test_y_l2,final_test_x_dist,median_step_ms,status", csv.get(0));
        assertStatusesMatchTheExitCode(r, csv.subList(1, csv.size()));
        assertEquals(List.of("sip", "gd", "sgd", "hig"), csv.subList(1, 5).stream().map(l -> l.split(",")[0]).toList());
        assertTrue(Files.size(dir.resolve("comparison.png")) > 0);
        assertTrue(Files.size(dir.resolve("hig/examples.png")) > 0, "the sin problem's scatter");
        for (String m : List.of("sip", "gd", "sgd", "hig")) {
            String run = Files.readString(dir.resolve(m).resolve("run.json"));
            assertTrue(run.contains("\"option.xi\": 10.0") && run.contains("\"problem\": \"sin\""), run);
        }
        String sgd = Files.readString(dir.resolve("sgd/run.json"));
        assertTrue(sgd.contains("\"learning_rate\": 1.0E-6"), "SGD's rate is 1e-4/xi^2: " + sgd);
    }

    @Test
    void sweepWritesOneRowPerXiAndMethod() throws IOException {
        Path dir = tmp.resolve("sweep");
        CliErrorPathTest.Run r = CliErrorPathTest.run("sweep", "--problem", "sin", "--option", "xi=1,10", "--methods",
                "sip,hig", "--steps", "2", "--batch", "4", "--test-batch", "8", "--out", dir.toString(),
                "--threads", "1");
        List<String> csv = Files.readAllLines(dir.resolve("sweep.csv"));
        assertEquals("xi,method,final_test_y_l2,final_test_x_dist,final_test_x_dist_over_xi,steps,median_step_ms,"
                + "wall_seconds,status", csv.get(0));
        assertStatusesMatchTheExitCode(r, csv.subList(1, csv.size()));
        assertEquals(List.of("1.0,sip", "1.0,hig", "10.0,sip", "10.0,hig"),
                csv.subList(1, 5).stream().map(l -> l.split(",")[0] + "," + l.split(",")[1]).toList());
        assertTrue(Files.size(dir.resolve("sweep.png")) > 0);
        assertTrue(Files.exists(dir.resolve("xi_1/sip/run.json")) && Files.exists(dir.resolve("xi_10/hig/run.json")));
    }

    /**
     * Two or three steps leave some methods worse than x = 0 (Stability's third rule): they are "unstable", and
     * then the command exits 3; a clean run exits 0.
     */
    private static void assertStatusesMatchTheExitCode(CliErrorPathTest.Run r, List<String> rows) {
        boolean unstable = false;
        assertTrue(rows.stream().anyMatch(row -> row.endsWith(",reference: the estimate x = 0")), "an x = 0 row");
        for (String row : rows) {
            if (row.endsWith(",reference: the estimate x = 0")) {
                continue;
            }
            String status = row.substring(row.lastIndexOf(',') + 1);
            assertTrue(status.equals("finished") || status.startsWith("unstable: final "), row);
            unstable |= status.startsWith("unstable");
        }
        assertEquals(unstable ? TrainingRun.DIVERGED : 0, r.code(), r.err());
    }

    @Test
    void trainRefusesSeveralXiAndSweepRefusesOtherProblems() {
        CliErrorPathTest.Run train = CliErrorPathTest.run("train", "--problem", "sin", "--option", "xi=1,10", "--out",
                tmp.resolve("t").toString());
        assertEquals(2, train.code(), train.out());
        assertTrue(train.err().contains("--option xi takes one value here"), train.err());
        CliErrorPathTest.Run sweep = CliErrorPathTest.run("sweep", "--problem", "heat", "--out",
                tmp.resolve("s").toString());
        assertEquals(2, sweep.code(), sweep.out());
        assertTrue(sweep.err().contains("only the sin problem"), sweep.err());
    }
}
