package io.sipflow.physics.cli;

import io.sipflow.physics.train.Method;
import io.sipflow.physics.train.TrainConfig;
import io.sipflow.physics.train.Trainer;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code compare --seeds N}: one run folder per method and seed, seed i = --seed + i shared by every method,
 * comparison.csv's means, standard deviations and Student-t intervals computed from those runs' run.json, the
 * paired SIP − GD row, the estimate x = 0's row, and --resume with seeds. The sin problem at 20 steps keeps it fast.
 */
class CompareSeedsTest {
    private static final String[] SMALL = {"--problem", "sin", "--option", "xi=1", "--option", "angle=0", "--steps", "20",
            "--test-every", "10", "--batch", "16", "--test-batch", "32", "--threads", "1"};

    @TempDir
    Path tmp;

    private static String[] args(String... more) {
        List<String> all = new ArrayList<>(List.of(SMALL));
        all.addAll(0, List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void studentTIntervalMatchesTheTextbookQuantile() {
        SeedStatistics s = SeedStatistics.of(new double[] {1, 2, 3});
        assertEquals(2.0, s.mean(), 1e-15);
        assertEquals(1.0, s.std(), 1e-15);
        // t(0.975, 2) = 4.302652729749464 (tables give 4.303)
        assertEquals(2 - 4.302652729749464 / Math.sqrt(3), s.low(), 1e-9);
        assertEquals(2 + 4.302652729749464 / Math.sqrt(3), s.high(), 1e-9);
        assertEquals(0, s.sign());
        assertEquals(-1, SeedStatistics.of(new double[] {-3, -2.9, -3.1}).sign());
        assertTrue(Double.isNaN(SeedStatistics.of(new double[] {5}).std()), "one value has no spread");
    }

    @Test
    void twoSeedsGiveOneFolderPerMethodAndSeedAndIntervalsFromTheirRuns() throws Exception {
        Path d = tmp.resolve("c");
        CliErrorPathTest.Run r = CliErrorPathTest.run(args("compare", "--methods", "sip,gd", "--seeds", "2",
                "--seed", "4", "--out", d.toString()));
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(d.resolve("comparison.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        assertEquals(List.of("method", "n", "final_test_y_l2_mean", "final_test_y_l2_std", "final_test_y_l2_ci95_low",
                "final_test_y_l2_ci95_high"), header.subList(0, 6));
        assertEquals(List.of("sip", "gd", "zero", "sip-gd"), lines.subList(1, 5).stream()
                .map(l -> l.split(",")[0]).toList());

        double t1 = new TDistribution(1).inverseCumulativeProbability(0.975);
        double[][] perSeed = new double[2][2];
        for (int m = 0; m < 2; m++) {
            String method = m == 0 ? "sip" : "gd";
            for (int i = 0; i < 2; i++) {
                Map<String, Object> json = Json.read(Files.readString(d.resolve(method + "/seed_" + (4 + i)
                        + "/run.json")));
                assertEquals(4 + i, ((Number) json.get("seed")).intValue(), "seed i = --seed + i");
                perSeed[m][i] = ((Number) json.get("final_test_y_l2_mean")).doubleValue();
            }
            String[] row = lines.get(1 + m).split(",");
            assertEquals("2", row[1]);
            double mean = (perSeed[m][0] + perSeed[m][1]) / 2;
            double std = Math.abs(perSeed[m][0] - perSeed[m][1]) / Math.sqrt(2);
            assertPrinted(mean, row[2]);
            assertPrinted(std, row[3]);
            assertPrinted(mean - t1 * std / Math.sqrt(2), row[4]);
            assertPrinted(mean + t1 * std / Math.sqrt(2), row[5]);
        }
        String[] paired = lines.get(4).split(",");
        double[] diff = {perSeed[0][0] - perSeed[1][0], perSeed[0][1] - perSeed[1][1]};
        assertPrinted(Arrays.stream(diff).average().orElseThrow(), paired[2]);
        assertTrue(r.out().contains("SIP - GD final test y_l2 per seed: mean"), r.out());

        // the x = 0 row is the trainer's zero estimate on the same test batch
        TrainConfig config = TrainConfig.fromSettings(Json.read(Files.readString(d.resolve("sip/seed_4/run.json"))));
        double zero = new Trainer(config).zeroEstimateMetrics().get("y_l2");
        assertEquals(zero, Double.parseDouble(lines.get(3).split(",")[2]), 1e-5 * zero);

        // seed 5 of the comparison is the run `train --seed 5` makes: same weights, same data
        Path single = tmp.resolve("single");
        assertEquals(0, CliErrorPathTest.run(args("train", "--method", "gd", "--seed", "5", "--out",
                single.toString())).code());
        assertEquals(Json.read(Files.readString(single.resolve("run.json"))).get("final_test_y_l2_mean"),
                Json.read(Files.readString(d.resolve("gd/seed_5/run.json"))).get("final_test_y_l2_mean"));

        // the output folder's rules hold with seeds: a finished comparison is not overwritten by accident,
        // --resume cannot change the seed count, and an interrupted one resumes to the same numbers
        assertEquals(2, CliErrorPathTest.run(args("compare", "--seeds", "2", "--out", d.toString())).code());
        CliErrorPathTest.Run changed = CliErrorPathTest.run("compare", "--resume", d.toString(), "--seeds", "3");
        assertEquals(2, changed.code());
        assertTrue(changed.err().contains("--seeds 3 differs from the 2 seed(s)"), changed.err());
        String before = metricColumns(lines);
        Files.delete(d.resolve("comparison.csv"));
        Files.delete(d.resolve(RunFiles.MANIFEST));
        Files.delete(d.resolve("gd/seed_5/run.json"));
        CliErrorPathTest.Run resumed = CliErrorPathTest.run("compare", "--resume", d.toString(), "--threads", "1");
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(before, metricColumns(Files.readAllLines(d.resolve("comparison.csv"))));
        assertTrue(Files.isRegularFile(d.resolve("gd/seed_5/run.json")));
    }

    /** The CSV's six significant digits hold {@code expected}. */
    private static void assertPrinted(double expected, String printed) {
        assertEquals(expected, Double.parseDouble(printed), 1e-5 * Math.abs(expected), printed);
    }

    /** comparison.csv without its step-time column (a timing). */
    private static String metricColumns(List<String> lines) {
        int ms = List.of(lines.get(0).split(",")).indexOf("median_step_ms");
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            List<String> cells = new ArrayList<>(List.of(l.split(",", -1)));
            cells.remove(ms);
            sb.append(String.join(",", cells)).append('\n');
        }
        return sb.toString();
    }

    @Test
    void oneSeedKeepsTheFoldersAndColumnsAndAddsTheZeroRow() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertEquals(0, CliErrorPathTest.run(args("compare", "--methods", "sip,gd", "--out", a.toString())).code());
        assertEquals(0, CliErrorPathTest.run(args("compare", "--methods", "sip,gd", "--seeds", "1", "--out",
                b.toString())).code());
        List<String> lines = Files.readAllLines(a.resolve("comparison.csv"));
        assertEquals("method,final_test_y_l2,final_test_x_dist,median_step_ms,status", lines.get(0));
        assertEquals(List.of("sip", "gd", "zero"), lines.subList(1, 4).stream().map(l -> l.split(",")[0]).toList());
        assertTrue(lines.get(3).endsWith(",,reference: the estimate x = 0"), lines.get(3));
        assertTrue(Files.isRegularFile(a.resolve("sip/run.json")), "one seed: DIR/<method>/ as before");
        assertEquals(metricColumns(lines), metricColumns(Files.readAllLines(b.resolve("comparison.csv"))),
                "--seeds 1 is the default");
        assertEquals(Json.read(Files.readString(a.resolve("gd/run.json"))).get("final_test_y_l2_mean"),
                Json.read(Files.readString(b.resolve("gd/run.json"))).get("final_test_y_l2_mean"));
    }

    @Test
    void poissonSgdTrainsWithMomentumFromTheCommandLine() throws Exception {
        Path d = tmp.resolve("sgd");
        CliErrorPathTest.Run r = CliErrorPathTest.run("train", "--problem", "poisson", "--method", "sgd",
                "--nesterov", "--resolution", "16", "--batch", "4", "--test-batch", "4", "--steps", "2",
                "--threads", "1", "--out", d.toString());
        Map<String, Object> json = Json.read(Files.readString(d.resolve("run.json")));
        // two steps train, without diverging; they may not yet beat x = 0, which faults' rule calls unstable (exit 3)
        assertEquals(json.get("status").equals("unstable") ? TrainingRun.DIVERGED : 0, r.code(), r.err());
        assertTrue(!json.get("status").equals("diverged"), json.toString());
        assertEquals(0.9, ((Number) json.get("momentum")).doubleValue(), 0.0, "Poisson's SGD default");
        assertEquals(true, json.get("nesterov"));
        assertEquals(1e-9, ((Number) json.get("learning_rate")).doubleValue(), 0.0);
        CliErrorPathTest.Run bad = CliErrorPathTest.run("train", "--method", "sgd", "--momentum", "1", "--out",
                tmp.resolve("bad").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("momentum must be in [0, 1), got 1.0"), bad.err());
        assertEquals(Method.SGD, TrainConfig.fromSettings(json).method());
    }

    @Test
    void sweepWithSeedsGivesIntervalsPerXiAndTheZeroEstimate() throws Exception {
        Path d = tmp.resolve("s");
        CliErrorPathTest.Run r = CliErrorPathTest.run("sweep", "--option", "xi=1,10", "--methods", "sip,gd", "--seeds", "2",
                "--option", "angle=0", "--steps", "20", "--test-every", "10", "--batch", "16", "--test-batch", "32",
                "--threads", "1", "--out", d.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(d.resolve("sweep.csv"));
        assertEquals(List.of("xi", "method", "n", "final_test_y_l2_mean"), List.of(lines.get(0).split(",")).subList(0, 4));
        assertEquals(List.of("1.0,sip,2", "1.0,gd,2", "1.0,zero,1", "1.0,sip-gd,2", "10.0,sip,2", "10.0,gd,2",
                "10.0,zero,1", "10.0,sip-gd,2"), lines.subList(1, 9).stream()
                .map(l -> String.join(",", List.of(l.split(",")).subList(0, 3))).toList());
        double a = ((Number) Json.read(Files.readString(d.resolve("xi_10/gd/seed_0/run.json")))
                .get("final_test_x_dist_mean")).doubleValue();
        double b = ((Number) Json.read(Files.readString(d.resolve("xi_10/gd/seed_1/run.json")))
                .get("final_test_x_dist_mean")).doubleValue();
        int col = List.of(lines.get(0).split(",")).indexOf("final_test_x_dist_over_xi_mean");
        assertPrinted((a + b) / 2 / 10, lines.get(6).split(",")[col]);
        // one seed: the columns sweep always wrote, plus a row for x = 0 at each xi
        Path one = tmp.resolve("one");
        assertEquals(0, CliErrorPathTest.run("sweep", "--option", "xi=1", "--methods", "sip", "--option", "angle=0", "--steps",
                "10", "--batch", "16", "--test-batch", "32", "--threads", "1", "--out", one.toString()).code());
        List<String> single = Files.readAllLines(one.resolve("sweep.csv"));
        assertEquals("xi,method,final_test_y_l2,final_test_x_dist,final_test_x_dist_over_xi,steps,median_step_ms,"
                + "wall_seconds,status", single.get(0));
        assertTrue(single.get(2).startsWith("1.0,zero,") && single.get(2).endsWith(",reference: the estimate x = 0"),
                single.get(2));
        assertTrue(Files.isRegularFile(one.resolve("xi_1/sip/run.json")));
    }

    @Test
    void aSeedCountBelowOneIsAUsageError() {
        for (String command : List.of("compare", "sweep")) {
            CliErrorPathTest.Run r = CliErrorPathTest.run(command, "--seeds", "0", "--out",
                    tmp.resolve(command).toString());
            assertEquals(2, r.code(), command + ": " + r.err());
            assertTrue(r.err().contains("--seeds must be at least 1, got 0"), r.err());
            assertTrue(!Files.exists(tmp.resolve(command).resolve("compare.json")), "nothing written");
        }
    }

    @Test
    void overwritingASeedsComparisonRemovesOnlyWhatItWrote() throws Exception {
        Path d = tmp.resolve("o");
        assertEquals(0, CliErrorPathTest.run(args("compare", "--methods", "sip", "--seeds", "2", "--out",
                d.toString())).code());
        Path mine = d.resolve("sip/seed_1/notes.txt");
        Files.writeString(mine, "the user's");
        CliErrorPathTest.Run again = CliErrorPathTest.run(args("compare", "--methods", "sip", "--seeds", "2",
                "--out", d.toString()));
        assertEquals(2, again.code(), "a finished comparison needs --overwrite");
        CliErrorPathTest.Run r = CliErrorPathTest.run(args("compare", "--methods", "sip", "--seeds", "2",
                "--overwrite", "--out", d.toString()));
        assertEquals(0, r.code(), r.err());
        assertEquals("the user's", Files.readString(mine), "sipflow never deletes what it did not write");
        assertTrue(Files.isRegularFile(d.resolve("sip/seed_0/run.json")) && Files.isRegularFile(d.resolve(
                "comparison.csv")));
    }
}
