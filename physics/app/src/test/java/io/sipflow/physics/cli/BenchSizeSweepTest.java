package io.sipflow.physics.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The size sweep's lines, its ratio to the reference's median, and its errors, with a stand-in reference (a shell
 * script printing a fixed torch line) and small sizes; timings are not checked.
 */
class BenchSizeSweepTest {
    private static final Pattern LINE = Pattern.compile("(?m)^sipflow size_sweep batch=(\\d+) res=(\\d+) "
            + "median_ms=([0-9.]+) min_ms=[0-9.]+ n=(\\d+) torch_ms=(\\S+) ratio=(\\S+) loadavg=[-0-9.]+$");

    @TempDir
    Path dir;

    private BenchSizeSweep sweep(boolean compare, Path script) {
        BenchSizeSweep s = new BenchSizeSweep();
        s.sizes = List.of(new int[] {2, 8}, new int[] {1, 16});
        s.compareTorch = compare;
        s.torchScript = script;
        s.python = "/bin/sh";
        return s;
    }

    @Test
    void printsOneLinePerSizeWithTheRatioToTheReference() throws IOException {
        Path script = Files.writeString(dir.resolve("torch.sh"),
                "echo 'torch 1.13 threads=2'\necho \"torch sip_step median_ms=4.0 min_ms=3.0 max_ms=5.0 n=1 args=$*\"\n");
        StringWriter text = new StringWriter();
        sweep(true, script).run(new PrintWriter(text), 0, 1);
        Matcher m = LINE.matcher(text.toString());
        int lines = 0;
        while (m.find()) {
            lines++;
            assertEquals("4.0", m.group(5), text.toString());
            // sipflow's median over the reference's 4.0 (the printed median is rounded to 0.1 ms, the ratio to 0.01)
            assertEquals(Double.parseDouble(m.group(3)) / 4.0, Double.parseDouble(m.group(6)), 0.0125 + 0.005,
                    text.toString());
            int batch = Integer.parseInt(m.group(1));
            int res = Integer.parseInt(m.group(2));
            assertEquals(BenchSizeSweep.stepsFor(batch, res, 1), Integer.parseInt(m.group(4)));
        }
        assertEquals(2, lines, text.toString());
    }

    @Test
    void withoutTheReferenceTheRatioReadsADash() {
        BenchSizeSweep s = sweep(false, dir.resolve("absent.py"));
        s.sizes = List.of(new int[] {2, 8});
        s.sweep = true;
        StringWriter text = new StringWriter();
        s.run(new PrintWriter(text), 0, 1);
        Matcher m = LINE.matcher(text.toString());
        assertTrue(m.find(), text.toString());
        assertEquals("-", m.group(5));
        assertEquals("-", m.group(6));
    }

    @Test
    void printsNothingUnlessAskedFor() {
        BenchSizeSweep s = sweep(false, dir.resolve("absent.py"));
        StringWriter text = new StringWriter();
        s.run(new PrintWriter(text), 0, 1);
        assertEquals("", text.toString());
        assertTrue(s.configs().isEmpty());
        assertFalse(s.enabled());
    }

    @Test
    void aMissingOrFailingReferenceIsAClearError() throws IOException {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> sweep(true, dir.resolve("absent.py")).run(new PrintWriter(new StringWriter()), 0, 1));
        assertTrue(missing.getMessage().contains("absent.py") && missing.getMessage().contains("--torch-script"),
                missing.getMessage());
        Path failing = Files.writeString(dir.resolve("fail.sh"), "echo 'no module named torch'\nexit 3\n");
        IllegalArgumentException failed = assertThrows(IllegalArgumentException.class,
                () -> sweep(true, failing).run(new PrintWriter(new StringWriter()), 0, 1));
        assertTrue(failed.getMessage().contains("exited with 3") && failed.getMessage().contains("no module named torch"),
                failed.getMessage());
    }

    @Test
    void smallerSizesRepeatMoreUpToAHundred() {
        assertEquals(20, BenchSizeSweep.stepsFor(128, 64, 20));
        assertEquals(20, BenchSizeSweep.stepsFor(32, 128, 20));
        assertEquals(80, BenchSizeSweep.stepsFor(32, 32, 5));
        assertEquals(100, BenchSizeSweep.stepsFor(8, 16, 20));
    }
}
