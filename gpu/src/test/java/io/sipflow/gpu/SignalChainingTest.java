package io.sipflow.gpu;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * PoCL loads LLVM, which installs its own SIGSEGV, SIGBUS, SIGFPE ... handlers over the JVM's. HotSpot uses those
 * signals for its own traps (implicit null checks), so a JVM running OpenCL on PoCL could die with "Segmentation
 * fault" and no hs_err report, as a CI test fork once did. The JDK's libjsig, preloaded (the pom does it for test
 * forks, the {@code sipflow} launcher for runs), keeps the JVM's handlers first and chains LLVM's behind them.
 * A child JVM that runs a kernel and prints its own {@code VM.info} signal handlers proves both.
 */
class SignalChainingTest {
    private static final Path JSIG = Path.of(System.getProperty("java.home"), "lib", "libjsig.so");

    @Test
    void openClLeavesTheJvmsSignalHandlersInPlaceWithLibjsig() throws Exception {
        assumeTrue(OpenClTestBackend.problem() == null || OpenClTestBackend.inCi(),
                "no OpenCL device: " + OpenClTestBackend.problem());
        assertTrue(Files.isRegularFile(JSIG), "the JDK has no " + JSIG);
        String preload = System.getenv("LD_PRELOAD");
        assertTrue(preload != null && preload.contains("libjsig.so"),
                "this test JVM should run with libjsig preloaded (the pom's surefire configuration): " + preload);
        // with libjsig the JVM's handler stays installed and names the one LLVM asked for as "chained to" (the
        // report then prints LLVM's, because libjsig answers the query, but the kernel still calls the JVM's)
        String with = sigsegv(probe(JSIG.toString()));
        assertTrue(with.contains("javaSignalHandler") || with.contains("chained to:"), "with libjsig:\n" + with);

        String output = probe(null);
        if (output.contains("Portable Computing Language")) {
            // the reason for the preload: without it PoCL's LLVM replaces the JVM's SIGSEGV handler outright
            String without = sigsegv(output);
            assertTrue(without.contains("Handler was modified") && !without.contains("chained to:"),
                    "PoCL without libjsig:\n" + without);
        }
    }

    /** The SIGSEGV entry of the probe's signal-handler report, with its indented notes. */
    private static String sigsegv(String output) {
        assertTrue(output.contains("probe done"), output);
        StringBuilder entry = new StringBuilder();
        boolean in = false;
        for (String line : output.split("\n")) {
            if (line.trim().startsWith("SIGSEGV:")) {
                in = true;
            } else if (in && line.trim().startsWith("SIG")) {
                break;
            }
            if (in) {
                entry.append(line).append('\n');
            }
        }
        assertFalse(entry.isEmpty(), "no SIGSEGV entry in:\n" + output);
        return entry.toString();
    }

    /** Runs {@link SignalHandlerProbe} in a child JVM; returns its output. */
    private static String probe(String preload) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                SignalHandlerProbe.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (preload == null) {
            pb.environment().remove("LD_PRELOAD");
        } else {
            pb.environment().put("LD_PRELOAD", preload);
        }
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        return text;
    }
}
