package io.sipflow.gpu;

import static io.sipflow.gpu.OpenClEquivalenceProperties.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.Backend;
import io.sipflow.autodiff.backend.BinaryOp;
import io.sipflow.autodiff.backend.CpuBackend;
import io.sipflow.autodiff.backend.ReduceOp;
import io.sipflow.autodiff.backend.UnaryOp;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The FLOAT32 ops that run on resident tensors (elementwise with broadcasting and host scalars, where,
 * reductions, Adam) against the CPU backend on the same inputs. These compute in double and round once on both
 * sides, so +, −, ×, ÷, comparisons, where, max and √ must agree exactly; exp, log and pow within 2 float ulps
 * (the device's double functions are within a few double ulps); sums within (K + 2)·u·Σ|terms|
 * ({@link Tolerance}), since the device sums each output in the input's order but the CPU may chunk long sums.
 */
@AddLifecycleHook(RequiresOpenCl.class)
class OpenClResidentOpsTest {
    private final CpuBackend cpu = CpuBackend.instance();

    @Example
    void binaryOpsWithBroadcastingAndHostScalarsMatchTheCpu() {
        SplittableRandom rng = new SplittableRandom(11);
        Tensor a = random(rng, DType.FLOAT32, 2, 3, 4);
        Tensor[] others = {random(rng, DType.FLOAT32, 3, 1), random(rng, DType.FLOAT32, 2, 1, 4),
                random(rng, DType.FLOAT32, 2, 3, 4), Tensor.of(DType.FLOAT32, Shape.scalar(), 0.75)};
        Shape out = a.shape();
        for (BinaryOp op : BinaryOp.values()) {
            for (Tensor b : others) {
                Tensor x = op == BinaryOp.POW ? abs(a) : a;
                assertSame(op + " " + x.shape() + ", " + b.shape(), cpu.binary(op, x, b, out),
                        backend().binary(op, x, b, out), op == BinaryOp.POW ? 2 : 0);
                assertSame(op + " " + b.shape() + ", " + x.shape(), cpu.binary(op, b, x, out),
                        backend().binary(op, b, x, out), op == BinaryOp.POW ? 2 : 0);
            }
        }
    }

    @Example
    void unaryOpsMatchTheCpu() {
        Tensor a = random(new SplittableRandom(12), DType.FLOAT32, 5, 7);
        for (UnaryOp op : UnaryOp.values()) {
            Tensor x = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.POW ? abs(a) : a;
            boolean transcendental = op == UnaryOp.EXP || op == UnaryOp.LOG || op == UnaryOp.POW;
            assertSame("unary " + op, cpu.unary(op, x, 1.7), backend().unary(op, x, 1.7), transcendental ? 2 : 0);
        }
    }

    @Example
    void whereMatchesTheCpu() {
        SplittableRandom rng = new SplittableRandom(13);
        Tensor a = random(rng, DType.FLOAT32, 4, 6);
        Tensor b = random(rng, DType.FLOAT32, 4, 6);
        Tensor cond = cpu.binary(BinaryOp.GREATER, a, b, a.shape());
        assertSame("where", cpu.where(cond, a, b), backend().where(cond, a, b), 0);
    }

    /** Sums of many values per output (a work group per output, tree sums) over every axis set, and max. */
    @Example
    void largeReductionsOverEveryAxisSetMatchTheCpu() {
        Tensor a = random(new SplittableRandom(17), DType.FLOAT32, 6, 5, 17, 13);
        sumAndMaxOverEveryAxisSetMatchTheCpu(a);
        Tensor bias = random(new SplittableRandom(18), DType.FLOAT32, 8, 16, 32, 32);
        int[] axes = {0, 2, 3};
        Tolerance.assertClose("a bias gradient's sum", backend().reduce(ReduceOp.SUM, bias, axes),
                cpu.reduce(ReduceOp.SUM, bias, axes),
                cpu.reduce(ReduceOp.SUM, OpenClEquivalenceProperties.abs64(bias), axes), 8 * 32 * 32);
    }

    /** SUM (within the tolerance for its terms) and MAX (exactly) of a rank-4 tensor over each of its 15 axis sets. */
    private void sumAndMaxOverEveryAxisSetMatchTheCpu(Tensor a) {
        for (int mask = 1; mask < 16; mask++) {
            final int bits = mask;
            int[] axes = java.util.stream.IntStream.range(0, 4).filter(i -> (bits >> i & 1) != 0).toArray();
            int terms = 1;
            for (int ax : axes) {
                terms *= a.dim(ax);
            }
            Tensor sumAbs = cpu.reduce(ReduceOp.SUM, OpenClEquivalenceProperties.abs64(a), axes);
            Tolerance.assertClose("sum over " + java.util.Arrays.toString(axes), backend().reduce(ReduceOp.SUM, a, axes),
                    cpu.reduce(ReduceOp.SUM, a, axes), sumAbs, terms);
            assertSame("max over " + java.util.Arrays.toString(axes), cpu.reduce(ReduceOp.MAX, a, axes),
                    backend().reduce(ReduceOp.MAX, a, axes), 0);
        }
    }

    @Example
    void reductionsOverEveryAxisSetMatchTheCpu() {
        Tensor a = random(new SplittableRandom(14), DType.FLOAT32, 3, 4, 5, 6);
        sumAndMaxOverEveryAxisSetMatchTheCpu(a);
    }

    @Example
    void adamUpdateMatchesTheHostLoop() {
        SplittableRandom rng = new SplittableRandom(15);
        Tensor p = random(rng, DType.FLOAT32, 3, 5);
        Tensor g = random(rng, DType.FLOAT32, 3, 5);
        Tensor m = random(rng, DType.FLOAT64, 3, 5);
        Tensor v = abs(random(rng, DType.FLOAT64, 3, 5));
        Backend.AdamStep step = new Backend.AdamStep(1e-3, 0.9, 0.999, 1e-7, 1 - 0.9 * 0.9, 1 - 0.999 * 0.999);
        Backend.AdamState want = cpu.adamUpdate(p, g, m, v, step);
        Backend.AdamState got = backend().adamUpdate(p, g, m, v, step);
        assertSame("adam θ", want.param(), got.param(), 1);
        for (int i = 0; i < m.size(); i++) {
            assertEquals(want.m().getFlat(i), got.m().getFlat(i), 1e-15 * Math.abs(want.m().getFlat(i)), "adam m " + i);
            assertEquals(want.v().getFlat(i), got.v().getFlat(i), 1e-15 * Math.abs(want.v().getFlat(i)), "adam v " + i);
        }
    }

    /**
     * An optimizer step over eleven parameters (launches of five, five and one share the update) against the host
     * loop, θ to the bit; each new θ is read by a device op right after the step, and the moments of one step feed
     * the next, so a launch that ran late or wrote the wrong slot shows.
     */
    @Example
    void adamUpdatesOfManyParametersMatchTheHostLoop() {
        SplittableRandom rng = new SplittableRandom(16);
        int count = 11;
        Tensor[] p = new Tensor[count];
        Tensor[] g = new Tensor[count];
        Tensor[] mCpu = new Tensor[count];
        Tensor[] vCpu = new Tensor[count];
        Tensor[] pCpu = new Tensor[count];
        Tensor[] mDev = new Tensor[count];
        Tensor[] vDev = new Tensor[count];
        Tensor[] pDev = new Tensor[count];
        for (int i = 0; i < count; i++) {
            int[] shape = i % 3 == 0 ? new int[] {16} : new int[] {1 + rng.nextInt(6), 3, 3, 3};
            p[i] = random(rng, DType.FLOAT32, shape);
            mCpu[i] = Tensor.full(DType.FLOAT64, p[i].shape(), 0);
            vCpu[i] = mCpu[i];
            mDev[i] = mCpu[i];
            vDev[i] = vCpu[i];
            pCpu[i] = p[i];
            pDev[i] = p[i];
        }
        for (int t = 1; t <= 3; t++) {
            Backend.AdamStep step = new Backend.AdamStep(1e-2, 0.9, 0.999, 1e-7, 1 - Math.pow(0.9, t),
                    1 - Math.pow(0.999, t));
            Tensor[] gDev = new Tensor[count];
            for (int i = 0; i < count; i++) {
                g[i] = random(rng, DType.FLOAT32, p[i].shape().dims());
                gDev[i] = backend().binary(BinaryOp.ADD, g[i], Tensor.full(DType.FLOAT32, Shape.scalar(), 0),
                        g[i].shape()); // resident, so no upload between the updates
            }
            Tensor[] mBefore = mCpu.clone();
            for (int i = 0; i < count; i++) {
                Backend.AdamState want = cpu.adamUpdate(pCpu[i], g[i], mCpu[i], vCpu[i], step);
                pCpu[i] = want.param();
                mCpu[i] = want.m();
                vCpu[i] = want.v();
                Backend.AdamState got = backend().adamUpdate(pDev[i], gDev[i], mDev[i], vDev[i], step);
                pDev[i] = got.param();
                mDev[i] = got.m();
                vDev[i] = got.v();
            }
            for (int i = 0; i < count; i++) {
                Tensor doubled = backend().binary(BinaryOp.ADD, pDev[i], pDev[i], p[i].shape());
                assertSame("2θ after step " + t + ", parameter " + i,
                        cpu.binary(BinaryOp.ADD, pCpu[i], pCpu[i], p[i].shape()), doubled, 0);
                for (int e = 0; e < p[i].size(); e++) {
                    // β₁m + (1 − β₁)g may cancel, and the device may contract it to one FMA: relative to the terms
                    double terms = 0.9 * Math.abs(mBefore[i].getFlat(e)) + 0.1 * Math.abs(g[i].getFlat(e));
                    assertEquals(mCpu[i].getFlat(e), mDev[i].getFlat(e), 1e-15 * terms,
                            "m, step " + t + ", parameter " + i + ", element " + e);
                    assertEquals(vCpu[i].getFlat(e), vDev[i].getFlat(e), 1e-15 * Math.abs(vCpu[i].getFlat(e)),
                            "v, step " + t + ", parameter " + i + ", element " + e);
                }
            }
        }
    }

    /** conv(a, wa) + bias continued with conv(u, wb) equals one conv over [a, u] with [wa, wb] (FLOAT32 sums). */
    @Example
    void convolutionAccumulateEqualsOneConvolutionOverTheConcatenation() {
        SplittableRandom rng = new SplittableRandom(16);
        Tensor a = random(rng, DType.FLOAT32, 2, 2, 5, 4);
        Tensor u = random(rng, DType.FLOAT32, 2, 3, 5, 4);
        Tensor wa = random(rng, DType.FLOAT32, 4, 2, 3, 3);
        Tensor wb = random(rng, DType.FLOAT32, 4, 3, 3, 3);
        Tensor bias = random(rng, DType.FLOAT32, 4);
        for (Padding padding : Padding.values()) {
            Tensor got = backend().conv2dAccumulate(backend().conv2d(a, wa, bias, padding), u, wb, padding);
            assertFalse(got.isOnHost(), "the accumulated result stays on the device");
            Tensor x = cpu.concat(new Tensor[] {a, u}, 1, Shape.of(2, 5, 5, 4));
            Tensor w = cpu.concat(new Tensor[] {wa, wb}, 1, Shape.of(4, 5, 3, 3));
            Tensor sumAbs = CpuBackend.scalar().conv2d(OpenClEquivalenceProperties.abs64(x),
                    OpenClEquivalenceProperties.abs64(w), OpenClEquivalenceProperties.abs64(bias), padding);
            Tolerance.assertClose("conv2dAccumulate " + padding, got, CpuBackend.scalar().conv2d(x, w, bias, padding),
                    sumAbs, 5 * 9 + 1);
        }
    }

    private static OpenClBackend backend() {
        return OpenClTestBackend.get();
    }

    private static Tensor abs(Tensor t) {
        return CpuBackend.instance().unary(UnaryOp.ABS, t, 0);
    }

    /** Equal element by element (NaN equals NaN), or within {@code ulps} float ulps of the CPU's value. */
    static void assertSame(String what, Tensor want, Tensor got, int ulps) {
        assertEquals(want.shape(), got.shape(), what + ": shape");
        assertEquals(want.dtype(), got.dtype(), what + ": dtype");
        for (int i = 0; i < want.size(); i++) {
            double w = want.getFlat(i);
            double g = got.getFlat(i);
            if (Double.isNaN(w) && Double.isNaN(g) || w == g) {
                continue;
            }
            assertEquals(w, g, ulps * Math.ulp((float) w), what + ": element " + i + " of " + want.shape());
        }
    }
}
