package io.sipflow.physics.cli;

import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sipflow physics} never answers a silent zero or NaN: fields of 1e160 and 1e-200 are solved (the answer
 * scales with the input), non-finite input is refused with its count and first index (exit 1, a bad input file),
 * an --amount whose kernel overflows is refused (exit 2), and a result that overflows is an error, not a file.
 */
class PhysicsRangeTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(doubles = {1e160, 1e-200})
    void poissonSolvesFieldsFarFromMagnitudeOne(double scale) throws IOException {
        Tensor x = Tensor.randn(new SplittableRandom(21), 2, 8, 8);
        double[] reference = solve(x, "ref");
        double[] scaled = solve(x.mul(scale), "scaled");
        double largest = 0;
        for (double v : reference) {
            largest = Math.max(largest, Math.abs(v));
        }
        assertTrue(largest > 0.1, "the reference solution is not zero");
        for (int i = 0; i < reference.length; i++) {
            assertEquals(reference[i], scaled[i] / scale, 1e-6 * largest, "value " + i + " of the solution / " + scale);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"diffuse", "inverse", "poisson"})
    void nonFiniteInputIsRefusedWithItsCountAndFirstIndex(String operator) throws IOException {
        double[] v = Tensor.randn(new SplittableRandom(22), 8, 8).toDoubleArray();
        v[2 * 8 + 3] = Double.NaN;
        v[5 * 8 + 1] = Double.NEGATIVE_INFINITY;
        Path in = tmp.resolve("nan.npy");
        Npy.write(in, Tensor.wrap(Shape.of(8, 8), v));
        Path out = tmp.resolve("out.npy");
        CliErrorPathTest.Run r = CliErrorPathTest.run("physics", operator, "--in", in.toString(), "--out", out.toString());
        assertEquals(1, r.code(), "a bad input file: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains("--in " + in + " has 2 non-finite values (NaN or ±Infinity) of 64, the first NaN"
                + " at index [2, 3]"), r.err());
        assertFalse(Files.exists(out), "no output");
    }

    @Test
    void anInverseAmountWhoseKernelOverflowsIsRefused() throws IOException {
        Path in = tmp.resolve("r.npy");
        Npy.write(in, Tensor.randn(new SplittableRandom(23), 8, 8));
        Path out = tmp.resolve("dx.npy");
        CliErrorPathTest.Run r = CliErrorPathTest.run("physics", "inverse", "--in", in.toString(), "--out",
                out.toString(), "--amount", "1e307");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--amount 1.0E307 is too large"), r.err());
        assertFalse(Files.exists(out), "no output");
        // the largest amount it accepts answers finitely
        CliErrorPathTest.Run big = CliErrorPathTest.run("physics", "inverse", "--in", in.toString(), "--out",
                out.toString(), "--amount", "4e306");
        assertEquals(0, big.code(), big.err());
        for (double d : Npy.read(out).toDoubleArray()) {
            assertTrue(Double.isFinite(d), "finite correction");
        }
    }

    @Test
    void aSolutionTooLargeForADoubleIsAnErrorNotAFile() throws IOException {
        Path in = tmp.resolve("huge.npy");
        Npy.write(in, Tensor.full(Shape.of(8, 8), 1e308));
        Path out = tmp.resolve("y.npy");
        CliErrorPathTest.Run r = CliErrorPathTest.run("physics", "poisson", "--in", in.toString(), "--out",
                out.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("the result has ") && r.err().contains("too large for a double"), r.err());
        assertFalse(Files.exists(out), "no output");
    }

    private double[] solve(Tensor x, String name) throws IOException {
        Path in = tmp.resolve(name + "-x.npy");
        Path out = tmp.resolve(name + "-y.npy");
        Npy.write(in, x);
        CliErrorPathTest.Run r = CliErrorPathTest.run("physics", "poisson", "--in", in.toString(), "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        return Npy.read(out).toDoubleArray();
    }
}
