package io.sipflow.physics.cli;

import io.sipflow.autodiff.backend.KernelCounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link GoldenRuns} (short heat, Poisson and sin training runs) write exactly the files whose SHA-256 digests
 * are committed here, on whatever CPU and JDK run the suite: the CPU backend gives the same bits on every x86 and
 * JVM we support (AVX-512, AVX2, no Vector API; JDK 17 and 25; any thread count — {@link GoldenDigestAcrossJvmsTest}
 * runs the other JVMs). The run also proves which paths it took: the Vector API convolutions and matmul, and work
 * split over threads.
 *
 * <p><b>Rule: a digest changes only in a commit that says why</b> — a deliberate change of the numerics (a new
 * summation order, a changed op, a new default), named in the commit message with the old and new digests. Never
 * update a digest to make this test pass: a digest that moved without such a change is a bug (an order that
 * depends on the machine, a Math intrinsic, a data race), and the test exists to catch it.
 */
class GoldenDigestTest {
    /** Pinned by the runs of {@link GoldenRuns} (see the class comment before changing any). */
    static final Map<String, String> GOLDEN = golden();

    @TempDir
    Path tmp;

    private static Map<String, String> golden() {
        Map<String, String> g = new TreeMap<>();
        g.put("heat/model.npz", "4eda4e5a6717884031e1a1f04f914fcaa128ab37a35446800c274f272e86a474");
        g.put("heat/test.csv", "dec2ff0295b32d50273087ce7b2aa66537422777f7ab7407d01dea8e17f3698f");
        g.put("heat/metrics.csv", "1acda9cca584fbbed5f35457694af5ddf0704c5ee5ed907f0d694e6179a633c3");
        g.put("poisson/model.npz", "a443a60174d5f7d787a80c6b0dac73b1697ceda849861423d079c11adc4ba695");
        g.put("poisson/test.csv", "2e22a2e8d97b061cbe2bc334db6bfe664844c1392cf893f193f2267b58f015fc");
        g.put("poisson/metrics.csv", "e06ca690ff7d042223e2c3773cd3cd2bc45be04ca57843b87b4a516d0fe70197");
        g.put("sin/model.npz", "05f3c9ed3f75968075f31012ffce508c95a1b3be722c6737a8e753f51a1d8de9");
        g.put("sin/test.csv", "9f7f2447f4a711f865c4a5ea730c5b1fef6377756c853b3621fc639af5620883");
        g.put("sin/metrics.csv", "14d012a392058d7c350168d4f89148b2b80370b3025dbf9dc7638575c9e2c98a");
        return g;
    }

    @Test
    void shortRunsWriteTheGoldenFilesOnThisMachine() throws Exception {
        KernelCounts.reset();
        Map<String, String> got = new TreeMap<>(GoldenRuns.digests(tmp, 2));
        Map<String, Long> ran = KernelCounts.snapshot();
        assertEquals(GOLDEN, got, "the golden runs' files changed (kernels that ran: " + ran + ")");
        // Surefire runs with the Vector API: the runs went through its convolutions, matmul and thread splits.
        for (String kernel : new String[] {"conv2d forward / vector", "conv2d forward, computed channels / vector",
                "conv2d backward data and weight in one pass / vector", "conv2d backward weight / vector",
                "matmul float64 / vector", "parallel split over threads"}) {
            assertTrue(ran.keySet().stream().anyMatch(k -> k.startsWith(kernel)), kernel + " did not run: " + ran);
        }
    }
}
