package io.sipflow.physics.cli;

import io.sipflow.physics.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --preset paper}, {@code --dtype}, {@code --sip-loss} and {@code --time-budget} from the command line: what
 * run.json, checkpoint.json and metrics.csv record, and that a run stopped by its time budget resumes with the steps
 * it reached as its step budget. Nothing here asserts a timing.
 */
class PaperPresetCliTest {
    @TempDir
    Path tmp;

    private static Map<String, Object> json(Path file) throws IOException {
        return Json.read(Files.readString(file));
    }

    @Test
    void sinPaperRunRecordsTheAuthorsSettingsTheirMeasureAndTheDifferences() throws IOException {
        Path dir = tmp.resolve("sin");
        CliErrorPathTest.Run r = CliErrorPathTest.run("train", "--problem", "sin", "--preset", "paper", "--option", "xi=4",
                "--steps", "20", "--batch", "8", "--test-batch", "16", "--test-every", "10", "--out", dir.toString(),
                "--threads", "1");
        assertTrue(r.code() == 0 || r.code() == TrainingRun.DIVERGED, r.err());
        Map<String, Object> run = json(dir.resolve("run.json"));
        assertEquals("float32", run.get("dtype"));
        assertEquals("l1-mean", run.get("sip_loss"));
        assertEquals("paper", run.get("preset"));
        assertEquals(0.0, ((Number) run.get("option.angle")).doubleValue());
        assertEquals("float32", run.get("precision"));
        assertTrue(String.valueOf(run.get("preset_difference.1")).startsWith("budget: the authors stop each method"
                + " after 600 s"), String.valueOf(run.get("preset_difference.1")));
        assertTrue(String.valueOf(run.get("preset_difference.5")).startsWith("metric:"), run.toString());
        assertFalse(run.containsKey("preset_difference.6"), "float32, l1-mean and angle 0 are the authors'");
        assertTrue(((Number) run.get("train_x_dist_last10pct_mean")).doubleValue() > 0);
        assertFalse(run.containsKey("stopped_by_time_budget"), "no budget given, none recorded");

        List<String> metrics = Files.readAllLines(dir.resolve("metrics.csv"));
        assertTrue(metrics.get(0).endsWith(",step_ms,wall_s"), metrics.get(0));
        double sum = 0;
        for (String line : metrics.subList(1, metrics.size())) {
            String[] cells = line.split(",");
            sum += Double.parseDouble(cells[cells.length - 2]);
            assertEquals(sum / 1e3, Double.parseDouble(cells[cells.length - 1]), 1e-3 + 1e-6 * sum,
                    "wall_s is the running sum of step_ms");
        }
    }

    @Test
    void explicitSettingsWinOverThePreset() throws IOException {
        Path dir = tmp.resolve("angle");
        CliErrorPathTest.run("train", "--problem", "sin", "--preset", "paper", "--option", "angle=45", "--dtype",
                "float64", "--steps", "2", "--batch", "4", "--test-batch", "8", "--out", dir.toString(),
                "--threads", "1");
        Map<String, Object> run = json(dir.resolve("run.json"));
        assertEquals(45.0, ((Number) run.get("option.angle")).doubleValue());
        assertEquals("float64", run.get("dtype"));
        String differences = run.toString();
        assertTrue(differences.contains("precision: float64 (the authors: float32)")
                && differences.contains("angle: 45.0 degrees"), differences);
    }

    @Test
    void settingsOnlyTheSinProblemHasAreRefusedElsewhereNamingTheFlag() {
        CliErrorPathTest.Run r = CliErrorPathTest.run("train", "--problem", "heat", "--dtype", "float64", "--out",
                tmp.resolve("h").toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("--dtype float64: problem heat offers float32"), r.err());
        CliErrorPathTest.Run bad = CliErrorPathTest.run("train", "--problem", "sin", "--dtype", "float16", "--out",
                tmp.resolve("s").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("auto, float32 or float64, got float16"), bad.err());
        CliErrorPathTest.Run time = CliErrorPathTest.run("train", "--time-budget", "ten minutes", "--out",
                tmp.resolve("t").toString());
        assertEquals(2, time.code());
        assertTrue(time.err().contains("'ten minutes' is not a duration"), time.err());
    }

    @Test
    void durationsTakeSecondsMinutesAndHours() {
        assertEquals(600, io.sipflow.physics.train.Durations.seconds("600s"));
        assertEquals(600, io.sipflow.physics.train.Durations.seconds("10m"));
        assertEquals(5400, io.sipflow.physics.train.Durations.seconds("1.5h"));
        assertEquals(90, io.sipflow.physics.train.Durations.seconds("90"));
        assertEquals(0, io.sipflow.physics.train.Durations.seconds("0"));
        assertThrows(IllegalArgumentException.class, () -> io.sipflow.physics.train.Durations.seconds("-5s"));
    }

    /**
     * A budget below one step's time stops the run after its first step; run.json says so, checkpoint.json holds
     * that one step as the step budget, a resume adds nothing and {@code --resume --steps 4} ends exactly as a plain
     * 4-step run.
     */
    @Test
    void aTimeBudgetedRunRecordsItsStepsAndResumesWithThemAsItsStepBudget() throws IOException {
        Path dir = tmp.resolve("budget");
        List<String> common = List.of("--problem", "sin", "--option", "xi=2", "--batch", "8", "--test-batch", "16",
                "--test-every", "1", "--threads", "1");
        CliErrorPathTest.Run r = run("train", common, "--steps", "100000", "--time-budget", "0.000000001s",
                "--out", dir.toString());
        Map<String, Object> run = json(dir.resolve("run.json"));
        assertEquals(true, run.get("stopped_by_time_budget"), r.out());
        assertEquals(1, ((Number) run.get("steps_done")).intValue());
        assertEquals(100000, ((Number) run.get("steps")).intValue(), "run.json keeps the settings the run had");
        assertTrue(r.out().contains("time budget of 0 s used up after step 1 of 100000"), r.out());
        Map<String, Object> checkpoint = json(dir.resolve(TrainOptions.CHECKPOINT_JSON));
        assertEquals(1, ((Number) checkpoint.get("steps")).intValue());
        assertFalse(checkpoint.containsKey("time_budget_seconds"));

        CliErrorPathTest.Run again = CliErrorPathTest.run("train", "--resume", dir.toString(), "--threads", "1");
        assertTrue(again.code() == 0 || again.code() == TrainingRun.DIVERGED, again.err());
        assertEquals(1, ((Number) json(dir.resolve("run.json")).get("steps_done")).intValue());

        CliErrorPathTest.run("train", "--resume", dir.toString(), "--steps", "4", "--threads", "1");
        assertEquals(4, ((Number) json(dir.resolve("run.json")).get("steps_done")).intValue());
        Path plain = tmp.resolve("plain");
        run("train", common, "--steps", "4", "--out", plain.toString());
        assertEquals(Files.readString(plain.resolve("test.csv")), Files.readString(dir.resolve("test.csv")));
        assertArrayEquals(Files.readAllBytes(plain.resolve("model.npz")), Files.readAllBytes(dir.resolve("model.npz")));
    }

    @Test
    void sweepWithThePaperPresetTrainsAtTheAuthorsConditionings() {
        CommandLine cl = SipflowCli.commandLine();
        CommandLine.ParseResult parsed = cl.parseArgs("sweep", "--preset", "paper", "--methods", "sip");
        SweepCommand sweep = (SweepCommand) parsed.subcommand().commandSpec().userObject();
        List<TrainConfig> configs = sweep.configs();
        assertEquals(List.of(1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0),
                configs.stream().map(c -> c.option("xi")).toList());
        assertTrue(configs.stream().allMatch(c -> "paper".equals(c.preset()) && c.option("angle") == 0));
    }

    private static CliErrorPathTest.Run run(String command, List<String> common, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of(command));
        args.addAll(common);
        args.addAll(List.of(more));
        return CliErrorPathTest.run(args.toArray(new String[0]));
    }
}
