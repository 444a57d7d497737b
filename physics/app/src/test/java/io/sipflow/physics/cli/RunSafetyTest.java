package io.sipflow.physics.cli;

import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs that go wrong say so: divergence, anomalies, empty runs, replaced results, evaluation without side effects. */
class RunSafetyTest {
    private static final String[] TINY = {"--resolution", "16", "--batch", "4", "--test-batch", "4", "--threads", "1"};

    @TempDir
    Path tmp;

    private static CliErrorPathTest.Run run(String[] tiny, String... args) {
        String[] all = new String[args.length + tiny.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(tiny, 0, all, args.length, tiny.length);
        return CliErrorPathTest.run(all);
    }

    /** The example: lr 1e30 once exited 0 with a finite test x_l2 and a model.npz full of NaN. */
    @Test
    void aDivergingRunStopsWritesTheLastGoodStateAndExitsNonZero() throws IOException {
        Path dir = tmp.resolve("d");
        CliErrorPathTest.Run r = run(TINY, "train", "--steps", "20", "--lr", "1e30", "--out", dir.toString());
        assertEquals(TrainingRun.DIVERGED, r.code(), r.err());
        List<String> lines = r.err().lines().filter(l -> l.contains("diverged")).toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("sip: diverged at step ") && lines.get(0).contains("non-finite values in the loss"),
                lines.get(0));
        Map<String, Object> json = Json.read(Files.readString(dir.resolve("run.json")));
        assertEquals("diverged", json.get("status"));
        long step = (Long) json.get("diverged_at_step");
        assertEquals(step, Files.readAllLines(dir.resolve("metrics.csv")).size() - 1, "metrics up to the last good step");
        for (String f : List.of("model.npz", "checkpoint.npz")) {
            for (Map.Entry<String, Tensor> e : Npz.read(dir.resolve(f)).entrySet()) {
                for (int i = 0; i < e.getValue().size(); i++) {
                    assertTrue(Double.isFinite(e.getValue().getFlat(i)), f + " " + e.getKey() + " is finite");
                }
            }
        }
    }

    @Test
    void compareFinishesTheOtherMethodsAndMarksTheDivergedOne() throws IOException {
        Path dir = tmp.resolve("c");
        CliErrorPathTest.Run r = run(TINY, "compare", "--methods", "sgd,sip", "--lr", "10", "--steps", "10",
                "--out", dir.toString());
        assertEquals(TrainingRun.DIVERGED, r.code(), r.err());
        List<String> csv = Files.readAllLines(dir.resolve("comparison.csv"));
        assertTrue(csv.get(1).startsWith("sgd,") && csv.get(1).matches(".*,diverged at step \\d+"), csv.get(1));
        assertTrue(csv.get(2).startsWith("sip,") && csv.get(2).endsWith(",finished"), csv.get(2));
        assertTrue(Files.size(dir.resolve("comparison.png")) > 0 && Files.exists(dir.resolve("sip/model.npz")));
    }

    @Test
    void anomalyModeNamesTheOpThatWentNonFinite() throws IOException {
        Path dir = tmp.resolve("a");
        CliErrorPathTest.Run r = run(TINY, "train", "--steps", "20", "--lr", "1e30", "--detect-anomaly", "--out",
                dir.toString());
        assertEquals(TrainingRun.DIVERGED, r.code(), r.err());
        assertTrue(r.err().matches("(?s).*diverged at step \\d+: non-finite values in the (forward pass|VJP) of '\\w+'"
                + " produced .* in .*\\(\\d+(, \\d+)*,?\\) float(32|64).*"), r.err());
    }

    /** --steps 0 used to write "median_step_ms": NaN, which no JSON reader accepts. */
    @Test
    void runJsonIsValidJsonEvenWithoutSteps() throws IOException {
        Path dir = tmp.resolve("z");
        assertEquals(0, run(TINY, "train", "--steps", "0", "--out", dir.toString()).code());
        String text = Files.readString(dir.resolve("run.json"));
        assertFalse(text.contains("NaN") || text.contains("Infinity"), text);
        Map<String, Object> json = Json.read(text);
        assertNull(json.get("median_step_ms"));
        assertEquals("finished", json.get("status"));
        assertEquals(1e-7, (Double) json.get("adam_epsilon"), 0.0);
        assertTrue(String.valueOf(json.get("network")).startsWith("UNet[in=1, out=1, levels=4, filters=16"), text);
    }

    @Test
    void resultsAreReplacedOnlyWithOverwriteAndAsAWhole() throws IOException {
        Path dir = tmp.resolve("o");
        assertEquals(0, run(TINY, "train", "--steps", "2", "--out", dir.toString()).code());
        Files.writeString(dir.resolve("note.txt"), "from the first run");
        CliErrorPathTest.Run again = run(TINY, "train", "--steps", "3", "--out", dir.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("pass --overwrite"), again.err());
        assertEquals(0, run(TINY, "train", "--steps", "3", "--overwrite", "--out", dir.toString()).code());
        assertFalse(Files.exists(dir.resolve("note.txt")), "the new run's folder replaced the old one whole");
        assertEquals(4, Files.readAllLines(dir.resolve("metrics.csv")).size());
        try (var siblings = Files.list(tmp)) {
            assertEquals(List.of("o"), siblings.map(p -> p.getFileName().toString()).toList(), "no staging left");
        }
    }

    /** A kill between the two renames of a replacement leaves the old run under a hidden name; it comes back. */
    @Test
    void aReplacementInterruptedBetweenItsRenamesIsUndone() throws IOException {
        Path dir = tmp.resolve("run");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("run.json"), "{}");
        Path old = tmp.resolve(".run.sipflow-old-abc");
        Files.move(dir, old);
        Files.createDirectories(tmp.resolve(".run.sipflow-new-def"));
        OutputFolder.check(dir, "--out", true, OutputFolder.RESULTS);
        assertTrue(Files.exists(dir.resolve("run.json")), "previous run restored");
        assertFalse(Files.exists(old) || Files.exists(tmp.resolve(".run.sipflow-new-def")));
    }

    /**
     * Evaluating never changes the model (batch-norm statistics included), and with the run.json beside it scores
     * exactly what training's last test did: same batch, batch statistics, no running-statistic update.
     */
    @Test
    void evaluateHasNoSideEffectsAndReproducesTheFinalTest() throws IOException {
        Path dir = tmp.resolve("e");
        assertEquals(0, run(TINY, "train", "--steps", "6", "--test-every", "3", "--out", dir.toString()).code());
        Map<String, Tensor> before = Npz.read(dir.resolve("model.npz"));
        CliErrorPathTest.Run e = CliErrorPathTest.run("evaluate", "--model", dir.resolve("model.npz").toString(),
                "--out", tmp.resolve("ev").toString(), "--threads", "1");
        assertEquals(0, e.code(), e.err());
        List<String> test = Files.readAllLines(dir.resolve("test.csv"));
        String[] last = test.get(test.size() - 1).split(",");
        assertTrue(e.out().contains(String.format(java.util.Locale.ROOT, "x_l2 %.3f ± %.3f",
                Double.parseDouble(last[1]), Double.parseDouble(last[2]))), e.out() + " vs " + test);
        Map<String, Tensor> after = Npz.read(dir.resolve("model.npz"));
        for (String k : before.keySet()) {
            assertArrayEquals(before.get(k).toDoubleArray(), after.get(k).toDoubleArray(), 0.0, k);
        }
    }

    /** compare --resume keeps finished methods and continues an interrupted one from its checkpoint. */
    @Test
    void compareResumesEachMethodWhereItStopped() throws IOException {
        Path dir = tmp.resolve("cr");
        assertEquals(0, run(TINY, "compare", "--steps", "6", "--test-every", "3", "--checkpoint-every", "3", "--out",
                dir.toString()).code());
        String gdTest = Files.readString(dir.resolve("gd/test.csv"));
        List<String> comparison = numbersOnly(dir.resolve("comparison.csv"));
        // as if killed during gd's training right after its step-3 checkpoint
        assertEquals(0, run(TINY, "train", "--method", "gd", "--steps", "3", "--test-every", "3", "--checkpoint-every",
                "3", "--overwrite", "--out", dir.resolve("gd").toString()).code());
        Files.delete(dir.resolve("comparison.csv"));
        CliErrorPathTest.Run r = CliErrorPathTest.run("compare", "--resume", dir.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("gd: resuming at step 3 of 6 steps"), r.out());
        assertEquals(gdTest, Files.readString(dir.resolve("gd/test.csv")));
        assertEquals(comparison, numbersOnly(dir.resolve("comparison.csv")));
    }

    /** comparison.csv without the timing column. */
    private static List<String> numbersOnly(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().map(l -> l.replaceAll(",[^,]*(,[^,]*)$", "$1")).toList();
    }
}
