package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The CPU backend's specialised elementwise loops and in-place strided reductions against their definitions:
 * {@link BinaryOp#apply}/{@link UnaryOp#apply} element by element (exactly: one rounding each), and a naive
 * double sum/max over the reduced index space (sums within 1e-12·Σ|x|, maxima exactly).
 */
class ElementwiseAndReduceProperties {
    private final CpuBackend cpu = CpuBackend.instance();

    @Property(tries = 200)
    void broadcastBinaryOpsMatchTheirDefinition(@ForAll @IntRange(min = 1, max = 4) int d0, @ForAll @IntRange(min = 1, max = 5) int d1,
                                                @ForAll @IntRange(min = 1, max = 37) int d2, @ForAll @IntRange(min = 0, max = 7) int maskA,
                                                @ForAll @IntRange(min = 0, max = 7) int maskB, @ForAll boolean single,
                                                @ForAll @LongRange long seed) {
        DType t = single ? DType.FLOAT32 : DType.FLOAT64;
        SplittableRandom rng = new SplittableRandom(seed);
        int[] full = {d0, d1, d2};
        Tensor a = random(rng, t, collapse(full, maskA));
        Tensor b = random(rng, t, collapse(full, maskB));
        Shape out = Shape.of(full);
        for (BinaryOp op : new BinaryOp[] {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAXIMUM}) {
            Tensor got = cpu.binary(op, a, b, out);
            for (int i = 0; i < out.size(); i++) {
                int[] idx = unravel(i, full);
                double want = op.apply(a.get(clamp(idx, a.shape())), b.get(clamp(idx, b.shape())));
                want = single ? (float) want : want;
                if (Double.compare(got.getFlat(i), want) != 0) {
                    fail(op + " " + a.shape() + " with " + b.shape() + " " + t + " element " + i + ": " + got.getFlat(i)
                            + " != " + want + " (seed " + seed + ")");
                }
            }
        }
    }

    @Property(tries = 100)
    void unaryOpsMatchTheirDefinition(@ForAll @IntRange(min = 0, max = 300) int n, @ForAll boolean single,
                                      @ForAll @LongRange long seed) {
        DType t = single ? DType.FLOAT32 : DType.FLOAT64;
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i % 17 == 0 ? (i % 2 == 0 ? 0.0 : -0.0) : rng.nextDouble() * 4 - 2;
        }
        Tensor x = Tensor.of(t, Shape.of(n), v);
        for (UnaryOp op : new UnaryOp[] {UnaryOp.RELU, UnaryOp.STEP, UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SQUARE, UnaryOp.SQRT}) {
            Tensor got = cpu.unary(op, x, 0);
            for (int i = 0; i < n; i++) {
                double want = op.apply(x.getFlat(i), 0);
                want = single ? (float) want : want;
                if (Double.compare(got.getFlat(i), want) != 0 && !(Double.isNaN(want) && Double.isNaN(got.getFlat(i)))) {
                    fail(op + " " + t + " at " + x.getFlat(i) + ": " + got.getFlat(i) + " != " + want + " (seed " + seed + ")");
                }
            }
        }
    }

    @Property(tries = 200)
    void reductionsMatchNaiveLoops(@ForAll @IntRange(min = 1, max = 5) int d0, @ForAll @IntRange(min = 1, max = 6) int d1,
                                   @ForAll @IntRange(min = 1, max = 9) int d2, @ForAll @IntRange(min = 1, max = 11) int d3,
                                   @ForAll @IntRange(min = 1, max = 15) int axesMask, @ForAll boolean single,
                                   @ForAll @LongRange long seed) {
        DType t = single ? DType.FLOAT32 : DType.FLOAT64;
        int[] dims = {d0, d1, d2, d3};
        Tensor x = random(new SplittableRandom(seed), t, dims);
        int[] axes = java.util.stream.IntStream.range(0, 4).filter(i -> (axesMask >> i & 1) == 1).toArray();
        int[] outDims = dims.clone();
        for (int ax : axes) {
            outDims[ax] = 1;
        }
        for (ReduceOp op : ReduceOp.values()) {
            Tensor got = cpu.reduce(op, x, axes);
            assertEquals(Shape.of(outDims), got.shape(), "reduce shape");
            double[] want = new double[got.size()];
            double[] mag = new double[got.size()];
            java.util.Arrays.fill(want, op == ReduceOp.SUM ? 0 : Double.NEGATIVE_INFINITY);
            for (int i = 0; i < x.size(); i++) {
                int[] idx = unravel(i, dims);
                int o = Shape.of(outDims).size() == 1 ? 0 : flat(clamp(idx, got.shape()), outDims);
                want[o] = op == ReduceOp.SUM ? want[o] + x.getFlat(i) : Math.max(want[o], x.getFlat(i));
                mag[o] += Math.abs(x.getFlat(i));
            }
            for (int o = 0; o < want.length; o++) {
                double w = single ? (float) want[o] : want[o];
                double tol = op == ReduceOp.SUM ? 1e-12 * mag[o] + (single ? Math.ulp((float) w) : 0) : 0;
                if (!(Math.abs(got.getFlat(o) - w) <= tol)) {
                    fail(op + " over " + java.util.Arrays.toString(axes) + " of " + x.shape() + " " + t + " output " + o
                            + ": " + got.getFlat(o) + " vs " + w + " (seed " + seed + ")");
                }
            }
        }
    }

    private static int[] collapse(int[] full, int mask) {
        int[] d = full.clone();
        for (int i = 0; i < d.length; i++) {
            if ((mask >> i & 1) == 1) {
                d[i] = 1;
            }
        }
        return d;
    }

    private static int[] unravel(int i, int[] dims) {
        int[] idx = new int[dims.length];
        for (int k = dims.length - 1; k >= 0; k--) {
            idx[k] = i % dims[k];
            i /= dims[k];
        }
        return idx;
    }

    private static int[] clamp(int[] idx, Shape s) {
        int[] c = new int[idx.length];
        for (int k = 0; k < idx.length; k++) {
            c[k] = s.dim(k) == 1 ? 0 : idx[k];
        }
        return c;
    }

    private static int flat(int[] idx, int[] dims) {
        int f = 0;
        for (int k = 0; k < dims.length; k++) {
            f = f * dims[k] + idx[k];
        }
        return f;
    }

    private static Tensor random(SplittableRandom rng, DType t, int... dims) {
        Shape s = Shape.of(dims);
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextDouble() * 2 - 1;
        }
        return Tensor.of(t, s, v);
    }
}
