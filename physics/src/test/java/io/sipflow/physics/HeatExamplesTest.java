package io.sipflow.physics;

import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeatExamplesTest {

    /**
     * Reference statistics of the seed's generator at 64×64, from a NumPy transcription of
     * {@code generate_heat_example} over 102,400 samples: total heat 352.7 (per-example std 184.3),
     * covered fraction (cells with heat &gt; 0) 0.1747 (std 0.0668). Over 1024 samples the standard errors are
     * 5.8 and 0.0021; the tolerances are ~3.5 standard errors.
     */
    @Test
    void statisticsMatchTheSeedGenerator() {
        Tensor x = HeatExamples.generate(1024, 64, 64, new SplittableRandom(2024));
        double total = 0;
        double covered = 0;
        double[] d = x.doubleData();
        for (double v : d) {
            total += v;
            covered += v > 0 ? 1 : 0;
        }
        double meanTotal = total / 1024;
        double coveredFraction = covered / d.length;
        assertEquals(352.7, meanTotal, 20, "mean total heat per example");
        assertEquals(0.1747, coveredFraction, 0.0075, "covered fraction");
    }

    @Test
    void fieldsAreNonNegativeAndBoundedByTenStrengths() {
        Tensor x = HeatExamples.generate(16, 20, 28, new SplittableRandom(3));
        assertEquals(Shape.of(16, 20, 28), x.shape());
        for (double v : x.doubleData()) {
            assertTrue(v >= 0 && v <= HeatExamples.CANDIDATE_BOXES, "value " + v);
        }
    }

    @Test
    void sameSeedGivesSameBatch() {
        Tensor a = HeatExamples.generate(4, 16, 16, new SplittableRandom(42));
        Tensor b = HeatExamples.generate(4, 16, 16, new SplittableRandom(42));
        Tensor c = HeatExamples.generate(4, 16, 16, new SplittableRandom(43));
        assertArrayEquals(a.doubleData(), b.doubleData(), 0);
        assertTrue(!java.util.Arrays.equals(a.doubleData(), c.doubleData()));
    }

    /** One box by hand: centre (4, 4), half-size 1.2, strength 0.5 on an 8×8 grid. */
    @Test
    void softMaskGolden() {
        double[] f = new double[64];
        HeatExamples.addSoftBox(f, 0, 8, 8, 4, 4, 1.2, 1.2, 0.5);
        assertEquals(0.5, f[4 * 8 + 4], 1e-15, "centre (4.5, 4.5) is inside: d = -0.7 → mask 1");
        assertEquals(0.5 * (0.5 - 0.3 / Math.sqrt(0.5)), f[5 * 8 + 4], 1e-15, "cell (5.5, 4.5): d = 0.3");
        assertEquals(0.5 * (0.5 - 0.3 / Math.sqrt(0.5)), f[5 * 8 + 5], 1e-15, "corner cell: d = max(0.3, 0.3)");
        assertEquals(0, f[6 * 8 + 4], 0, "cell (6.5, 4.5): d = 1.3 → mask 0");
        assertEquals(0.5, f[3 * 8 + 3], 1e-15, "cell (3.5, 3.5): d = -0.7");
    }
}
