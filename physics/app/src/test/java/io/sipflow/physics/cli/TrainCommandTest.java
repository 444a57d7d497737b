package io.sipflow.physics.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny `train` and `evaluate` through the command line write every promised file. */
class TrainCommandTest {
    @TempDir
    Path tmp;

    @Test
    void trainWritesTheRunFolderAndEvaluateReadsTheModel() throws IOException {
        Path dir = tmp.resolve("run");
        CliErrorPathTest.Run r = CliErrorPathTest.run("train", "--method", "gd", "--steps", "12", "--batch", "4",
                "--resolution", "16", "--test-batch", "4", "--test-every", "5", "--out", dir.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("x_l2 (batch=4) "), "seed-format progress line when not on a terminal:\n" + r.out());
        List<String> metrics = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals(RunOutputs.METRICS_HEADER, metrics.get(0));
        assertEquals(13, metrics.size());
        List<String> test = Files.readAllLines(dir.resolve("test.csv"));
        assertEquals(RunOutputs.TEST_HEADER, test.get(0));
        assertEquals(List.of("0", "5", "10", "12"), test.subList(1, test.size()).stream().map(l -> l.split(",")[0]).toList());
        for (String f : List.of("model.npz", "examples.png", "curves.png", "run.json", "checkpoint.npz",
                "checkpoint.json")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        assertTrue(Files.readString(dir.resolve("run.json")).contains("\"method\": \"gd\""));
        try (var files = Files.list(dir)) {
            assertEquals(9, files.count(), "the 8 files and the manifest; no temporary or lock file left behind");
        }

        Path evalDir = tmp.resolve("eval");
        CliErrorPathTest.Run e = CliErrorPathTest.run("evaluate", "--model", dir.resolve("model.npz").toString(),
                "--batch", "4", "--out", evalDir.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("(16x16, seed 1): x_l2 "), e.out());
        assertTrue(Files.size(evalDir.resolve("examples.png")) > 0);
    }

    @Test
    void compareWritesOneFolderPerMethodAndTheComparison() throws IOException {
        Path dir = tmp.resolve("cmp");
        CliErrorPathTest.Run r = CliErrorPathTest.run("compare", "--steps", "3", "--batch", "2", "--resolution", "16",
                "--test-batch", "2", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        List<String> csv = Files.readAllLines(dir.resolve("comparison.csv"));
        assertEquals("method,final_test_x_l2,final_test_x_l1,median_step_ms,status", csv.get(0));
        assertEquals(List.of("sip", "gd"), csv.subList(1, 3).stream().map(l -> l.split(",")[0]).toList());
        assertTrue(Files.size(dir.resolve("comparison.png")) > 0);
        assertTrue(Files.exists(dir.resolve("sip/model.npz")) && Files.exists(dir.resolve("gd/model.npz")));
        assertTrue(r.out().contains("SIP final test x_l2 "), r.out());
    }
}
