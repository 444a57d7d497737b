package io.sipflow.physics.cli;

import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.io.Npy;
import io.sipflow.physics.Noise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code sipflow physics poisson} against an exact solve of the same discrete system: NumPy's dense LU of the
 * 5-point matrix ({@code reference/poisson_dense_solve.py}). Skipped where /usr/bin/python3 with numpy is absent
 * (CI installs it).
 */
class PoissonCommandTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path tmp;

    @Test
    void batchOfNoiseFieldsMatchesNumpysDenseSolve() throws Exception {
        Tensor x = Noise.sample(3, 16, 16, new SplittableRandom(11));
        assertBelow(1e-4, relativeErrors(x, "x.npy"));
    }

    @Test
    void singleWhiteNoiseFieldOnANonSquareGridMatchesNumpysDenseSolve() throws Exception {
        Tensor x = Tensor.randn(new SplittableRandom(12), 12, 20);
        double[] errors = relativeErrors(x, "white.npy");
        assertEquals(1, errors.length);
        assertBelow(1e-4, errors);
    }

    @Test
    void notConvergingExitsWithTheResidualReached() throws IOException {
        Path in = tmp.resolve("x.npy");
        Npy.write(in, Noise.sample(2, 16, 16, new SplittableRandom(13)));
        CliErrorPathTest.Run r = CliErrorPathTest.run("physics", "poisson", "--in", in.toString(), "--out",
                tmp.resolve("y.npy").toString(), "--max-iterations", "3");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("not converged after 3 iterations: relative residual"), r.err());
        assertTrue(!Files.exists(tmp.resolve("y.npy")), "no output is written");
        assertEquals(2, CliErrorPathTest.run("physics", "poisson", "--in", in.toString(), "--out",
                tmp.resolve("y.npy").toString(), "--tolerance", "-1").code());
    }

    /** Per field ‖y_cg − y_exact‖ / ‖y_exact‖ for the CLI's y and NumPy's exact y. */
    private double[] relativeErrors(Tensor x, String name) throws Exception {
        assumeTrue(numpyAvailable(), "/usr/bin/python3 with numpy is not installed");
        Path in = tmp.resolve(name);
        Path out = tmp.resolve("y-" + name);
        Path exact = tmp.resolve("exact-" + name);
        Npy.write(in, x);
        CliErrorPathTest.Run r = CliErrorPathTest.run("physics", "poisson", "--in", in.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        python(script().toString(), in.toString(), exact.toString());
        Tensor y = Npy.read(out);
        Tensor yExact = Npy.read(exact);
        assertEquals(x.shape(), y.shape());
        int n = x.dim(-1) * x.dim(-2);
        int fields = x.size() / n;
        double[] a = y.toDoubleArray();
        double[] e = yExact.toDoubleArray();
        double[] errors = new double[fields];
        for (int f = 0; f < fields; f++) {
            double diff = 0;
            double norm = 0;
            for (int k = f * n; k < (f + 1) * n; k++) {
                diff += (a[k] - e[k]) * (a[k] - e[k]);
                norm += e[k] * e[k];
            }
            errors[f] = Math.sqrt(diff / norm);
        }
        System.out.println("physics poisson vs numpy dense solve, relative errors " + java.util.Arrays.toString(errors));
        return errors;
    }

    private static void assertBelow(double limit, double[] errors) {
        for (int f = 0; f < errors.length; f++) {
            assertTrue(errors[f] <= limit, "field " + f + ": relative error " + errors[f] + " > " + limit);
        }
    }

    private static Path script() throws URISyntaxException {
        return Path.of(PoissonCommandTest.class.getResource("/reference/poisson_dense_solve.py").toURI());
    }

    /** Whether numpy can be run; under CI=true (where .ci/run installs it) its absence is a failure, not a skip. */
    private static boolean numpyAvailable() {
        boolean ok;
        try {
            ok = Files.isExecutable(PYTHON) && python("-c", "import numpy") != null;
        } catch (IOException | IllegalStateException e) {
            ok = false;
        }
        if (!ok && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true but /usr/bin/python3 with numpy is missing (.ci/run installs python3-numpy)");
        }
        return ok;
    }

    private static String python(String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of(PYTHON.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("python timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("python failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }
}
