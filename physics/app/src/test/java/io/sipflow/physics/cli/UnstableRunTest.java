package io.sipflow.physics.cli;

import io.sipflow.physics.train.BatchStats;
import io.sipflow.physics.train.Method;
import io.sipflow.physics.train.TestMetrics;
import io.sipflow.physics.train.TrainConfig;
import io.sipflow.physics.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run whose final numbers are not a result ({@link io.sipflow.physics.train.Stability}) is never listed as
 * "finished": GD at --lr 0.5 on the sin problem at ξ = 100 ends far above its best test y_l2 (2320 at step 0, over
 * a million at step 60, all finite), and compare and sweep say "unstable" in the status column, run.json and the
 * plot legend, and exit 3 as for a divergence.
 */
class UnstableRunTest {
    private static final String[] LEAVES_ITS_BEST = {"--option", "xi=100", "--lr", "0.5", "--steps", "60", "--batch", "20",
            "--test-batch", "50", "--test-every", "10", "--threads", "1"};

    @TempDir
    Path tmp;

    @Test
    void compareMarksAMethodThatLeftItsBestAsUnstableAndExitsThree() throws IOException {
        Path dir = tmp.resolve("c");
        CliErrorPathTest.Run r = run("compare", "--problem", "sin", "--methods", "gd", "--out", dir.toString());
        assertEquals(TrainingRun.DIVERGED, r.code(), r.err());
        List<String> csv = Files.readAllLines(dir.resolve("comparison.csv"));
        assertTrue(csv.get(1).matches("gd,.*,unstable: final y_l2 \\S+ is over 10x its best 2\\.32e\\+03"), csv.get(1));
        assertTrue(r.err().contains("gd: unstable: final y_l2 "), r.err());
        Map<String, Object> json = Json.read(Files.readString(dir.resolve("gd/run.json")));
        assertEquals("unstable", json.get("status"));
        assertTrue(String.valueOf(json.get("unstable_because")).startsWith("final y_l2 "), json.toString());
    }

    @Test
    void sweepMarksItToo() throws IOException {
        Path dir = tmp.resolve("s");
        CliErrorPathTest.Run r = run("sweep", "--methods", "gd", "--out", dir.toString());
        assertEquals(TrainingRun.DIVERGED, r.code(), r.err());
        List<String> csv = Files.readAllLines(dir.resolve("sweep.csv"));
        assertTrue(csv.get(1).matches("100\\.0,gd,.*,unstable: final y_l2 \\S+ is over 10x its best \\S+"), csv.get(1));
    }

    @Test
    void theLegendsNameUnstableRuns() {
        TrainingRun.Summary finished = summary(Method.SIP, 1, null);
        TrainingRun.Summary unstable = summary(Method.HIG, 100, "final y_l2 556 is over 10x its best 0.0194");
        TrainingRun.Summary diverged = new TrainingRun.Summary(config(Method.GD, 10), finished.tests(), 1, 1,
                new Trainer.Divergence(7, "the loss"), null);
        assertEquals("SIP", CompareCommand.legend(finished));
        assertEquals("HIG (unstable)", CompareCommand.legend(unstable));
        assertEquals("GD (diverged at step 7)", CompareCommand.legend(diverged));
        List<TrainingRun.Summary> sweep = List.of(finished, summary(Method.HIG, 1, null), unstable, diverged);
        assertEquals("HIG (unstable at xi 100)", SweepCommand.legend(Method.HIG, sweep));
        assertEquals("GD (diverged at xi 10)", SweepCommand.legend(Method.GD, sweep));
        assertEquals("SIP", SweepCommand.legend(Method.SIP, sweep));
    }

    private static TrainingRun.Summary summary(Method m, double xi, String unstableBecause) {
        LinkedHashMap<String, Double> means = new LinkedHashMap<>(Map.of("y_l2", 1.0));
        List<TestMetrics> tests = List.of(new TestMetrics(10, "y_l2", new BatchStats(1, 1, 0, 1, 1), means));
        return new TrainingRun.Summary(config(m, xi), tests, 1, 1, null, unstableBecause);
    }

    private static TrainConfig config(Method m, double xi) {
        return TrainConfig.builder().problem("sin").option("xi", xi).option("angle", 45).method(m).build();
    }

    private static CliErrorPathTest.Run run(String... args) {
        String[] all = new String[args.length + LEAVES_ITS_BEST.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(LEAVES_ITS_BEST, 0, all, args.length, LEAVES_ITS_BEST.length);
        return CliErrorPathTest.run(all);
    }
}
