package io.sipflow.physics.cli;

import io.sipflow.autodiff.Threads;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code sipflow bench} prints one line per measurement in the reference script's format (values not checked). */
class BenchCommandTest {
    private static final Pattern TIMING = Pattern.compile(
            "median_ms=[0-9.]+ min_ms=[0-9.]+ max_ms=[0-9.]+ n=1 cpu_ms=[0-9.]+");

    @Test
    void printsEveryMeasurementInTheReferenceFormat() {
        int threadsBefore = Threads.count();
        StringWriter text = new StringWriter();
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setOut(new PrintWriter(text));
        int code;
        try {
            code = cl.execute("--batch", "2", "--resolution", "8", "--steps", "1", "--warmup", "0", "--threads", "1");
        } finally {
            Threads.set(threadsBefore);
        }
        assertEquals(0, code, text.toString());
        String out = text.toString();
        for (String name : List.of("sip_step", "gd_step", "forward", "batch_norm", "relu", "max_pool", "upsample",
                "fft_physics")) {
            assertTrue(Pattern.compile("(?m)^sipflow " + name + " " + TIMING + "$").matcher(out).find(),
                    name + " line missing or malformed in:\n" + out);
        }
        for (String conv : List.of("conv_forward", "conv_backward_data", "conv_backward_weight")) {
            assertTrue(Pattern.compile("(?m)^sipflow " + conv + " " + TIMING + " gflops=[0-9.]+$").matcher(out).find(),
                    conv + " line missing or malformed in:\n" + out);
        }
        assertTrue(Pattern.compile("(?m)^sipflow fma_peak gflops=[0-9.]+ kernels=").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^sipflow efficiency step_gflop=[0-9.]+ step_gflops=[0-9.]+ "
                + "peak_share=[0-9]+% outside_conv_share=[0-9]+% ").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^sipflow memory peak_heap_mb=[0-9]+ vm_hwm_mb=-?[0-9]+ ").matcher(out).find(), out);
        assertTrue(out.startsWith("sipflow backend=cpu kernels="), out);
        for (String name : new String[] {"sip_step", "evaluate"}) {
            assertTrue(Pattern.compile("(?m)^sipflow allocation " + name + " bytes_per_step=[0-9]+ ").matcher(out).find(),
                    out);
        }
    }

    @Test
    void rejectsAResolutionTheUNetCannotPool() {
        CommandLine cl = SipflowCli.commandLine();
        cl.setExecutionExceptionHandler((e, c, p) -> 1);
        cl.setErr(new PrintWriter(new StringWriter()));
        assertEquals(1, cl.execute("bench", "--resolution", "12", "--steps", "1"));
    }
}
