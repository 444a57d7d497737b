package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.GradCheck;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.testkit.TensorArbitraries;
import io.sipflow.testkit.TensorValues;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Second order, op by op: the gradient of h(x) = Σ c·g(x)², g the gradient of Σ v·op(x), from a recorded backward
 * pass, against central differences of h in FLOAT64 ({@link GradCheck#checkSecondOrder}). An op that is linear
 * in its input has a constant gradient, so it is checked as op(x)²: its VJP then receives a gradient that depends
 * on x and must itself be differentiated.
 */
class SecondOrderProperties {
    @Provide
    Arbitrary<Shape> shapes() {
        return TensorArbitraries.shapes();
    }

    @Provide
    Arbitrary<Shape> shapesRank1() {
        return TensorArbitraries.shapes(1);
    }

    @Provide
    Arbitrary<Shape[]> pairs() {
        return TensorArbitraries.broadcastPairs();
    }

    static void check2(String op, long seed, Function<Tensor[], Tensor> fn, Tensor... inputs) {
        GradCheck.checkSecondOrder(op, fn, GradCheck.Options.secondOrder().withSeed(seed), inputs).assertPassed();
    }

    /** op(x)²: makes a linear op's VJP see a gradient that depends on x. */
    static Function<Tensor[], Tensor> squared(Function<Tensor[], Tensor> op) {
        return in -> op.apply(in).square();
    }

    // ---------------------------------------------------------------- unary

    @Property(tries = 25)
    void neg(@ForAll("shapes") Shape s, @ForAll long seed) {
        check2("neg", seed, squared(in -> in[0].neg()), TensorValues.uniform(s, -2, 2, seed));
    }

    @Property(tries = 25)
    void exp(@ForAll("shapes") Shape s, @ForAll long seed) {
        check2("exp", seed, in -> in[0].exp(), TensorValues.uniform(s, -2, 2, seed));
    }

    @Property(tries = 25)
    void log(@ForAll("shapes") Shape s, @ForAll long seed) {
        check2("log", seed, in -> in[0].log(), TensorValues.uniform(s, 0.3, 3, seed));
    }

    @Property(tries = 25)
    void sqrt(@ForAll("shapes") Shape s, @ForAll long seed) {
        check2("sqrt", seed, in -> in[0].sqrt(), TensorValues.uniform(s, 0.3, 3, seed));
    }

    @Property(tries = 25)
    void square(@ForAll("shapes") Shape s, @ForAll long seed) {
        check2("square", seed, in -> in[0].square(), TensorValues.uniform(s, -2, 2, seed));
    }

    @Property(tries = 25)
    void powConstantExponent(@ForAll("shapes") Shape s, @ForAll long seed) {
        double p = -2 + 4 * new SplittableRandom(seed).nextDouble();
        check2("pow", seed, in -> in[0].pow(p), TensorValues.uniform(s, 0.5, 2, seed));
    }

    @Property(tries = 25)
    void abs(@ForAll("shapes") Shape s, @ForAll long seed) {
        check2("abs", seed, squared(in -> in[0].abs()), TensorValues.awayFromZero(s, seed));
    }

    @Property(tries = 25)
    void relu(@ForAll("shapes") Shape s, @ForAll long seed) {
        check2("relu", seed, in -> in[0].relu().pow(3.0), TensorValues.awayFromZero(s, seed));
    }

    // ---------------------------------------------------------------- binary, with broadcasting

    @Property(tries = 25)
    void add(@ForAll("pairs") Shape[] p, @ForAll long seed) {
        check2("add", seed, squared(in -> in[0].add(in[1])), TensorValues.uniform(p[0], -2, 2, seed),
                TensorValues.uniform(p[1], -2, 2, ~seed));
    }

    @Property(tries = 25)
    void sub(@ForAll("pairs") Shape[] p, @ForAll long seed) {
        check2("sub", seed, squared(in -> in[0].sub(in[1])), TensorValues.uniform(p[0], -2, 2, seed),
                TensorValues.uniform(p[1], -2, 2, ~seed));
    }

    @Property(tries = 25)
    void mul(@ForAll("pairs") Shape[] p, @ForAll long seed) {
        check2("mul", seed, in -> in[0].mul(in[1]), TensorValues.uniform(p[0], -2, 2, seed),
                TensorValues.uniform(p[1], -2, 2, ~seed));
    }

    @Property(tries = 25)
    void div(@ForAll("pairs") Shape[] p, @ForAll long seed) {
        check2("div", seed, in -> in[0].div(in[1]), TensorValues.uniform(p[0], -2, 2, seed),
                TensorValues.uniform(p[1], 0.5, 2, ~seed));
    }

    @Property(tries = 25)
    void pow(@ForAll("pairs") Shape[] p, @ForAll long seed) {
        check2("pow", seed, in -> in[0].pow(in[1]), TensorValues.uniform(p[0], 0.5, 2, seed),
                TensorValues.uniform(p[1], -1.5, 1.5, ~seed));
    }

    @Property(tries = 25)
    void maximumAndMinimum(@ForAll("shapes") Shape s, @ForAll long seed) {
        Tensor a = TensorValues.uniform(s, -2, 2, seed);
        Tensor b = a.square().add(TensorValues.awayFromZero(s, ~seed).mul(0.5)); // |a² − b| ≥ 0.1: no tie nearby
        check2("maximum", seed, in -> in[0].square().maximum(in[1]).mul(in[0]), a, b);
        check2("minimum", seed, in -> in[0].square().minimum(in[1]).mul(in[1]), a, b);
    }

    @Property(tries = 25)
    void where(@ForAll @IntRange(min = 1, max = 4) int r, @ForAll @IntRange(min = 1, max = 4) int c,
               @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] mask = new double[r * c];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = rng.nextBoolean() ? 1 : 0;
        }
        Tensor cond = Tensor.of(Shape.of(r, c), mask);
        check2("where", seed, squared(in -> CompareOps.where(cond, in[0], in[1])),
                TensorValues.uniform(Shape.of(r, c), -2, 2, seed), TensorValues.uniform(Shape.of(c), -2, 2, ~seed));
    }

    // ---------------------------------------------------------------- reductions and matmul

    @Property(tries = 25)
    void sumOverAxes(@ForAll("shapesRank1") Shape s, @ForAll long seed, @ForAll boolean keepDims) {
        int axis = new SplittableRandom(seed).nextInt(s.rank());
        check2("sum", seed, squared(in -> in[0].sum(new int[] {axis}, keepDims)), TensorValues.uniform(s, -2, 2, seed));
    }

    @Property(tries = 25)
    void mean(@ForAll("shapesRank1") Shape s, @ForAll long seed) {
        check2("mean", seed, squared(in -> in[0].mean(new int[] {0}, false)), TensorValues.uniform(s, -2, 2, seed));
    }

    @Property(tries = 25)
    void max(@ForAll("shapesRank1") Shape s, @ForAll long seed) {
        int axis = new SplittableRandom(seed).nextInt(s.rank());
        check2("max", seed, squared(in -> in[0].max(new int[] {axis}, false)), TensorValues.distinct(s, seed));
    }

    @Property(tries = 25)
    void matmul(@ForAll @IntRange(min = 1, max = 3) int m, @ForAll @IntRange(min = 1, max = 3) int k,
                @ForAll @IntRange(min = 1, max = 3) int n, @ForAll boolean batched, @ForAll long seed) {
        Shape a = batched ? Shape.of(2, m, k) : Shape.of(m, k);
        check2("matmul", seed, in -> in[0].matmul(in[1]), TensorValues.uniform(a, -2, 2, seed),
                TensorValues.uniform(Shape.of(k, n), -2, 2, ~seed));
    }

    // ---------------------------------------------------------------- shape ops

    @Property(tries = 25)
    void reshape(@ForAll("shapes") Shape s, @ForAll long seed) {
        check2("reshape", seed, squared(in -> in[0].reshape(-1)), TensorValues.uniform(s, -2, 2, seed));
    }

    @Property(tries = 25)
    void permute(@ForAll("shapesRank1") Shape s, @ForAll long seed) {
        int[] axes = new int[s.rank()];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = axes.length - 1 - i;
        }
        check2("permute", seed, in -> in[0].permute(axes).exp(), TensorValues.uniform(s, -1, 1, seed));
    }

    @Property(tries = 25)
    void broadcastTo(@ForAll("pairs") Shape[] p, @ForAll long seed) {
        Shape full = Shape.broadcast("test", p[0], p[1]);
        check2("broadcastTo", seed, squared(in -> in[0].broadcastTo(full)), TensorValues.uniform(p[0], -2, 2, seed));
    }

    @Property(tries = 25)
    void slice(@ForAll("shapesRank1") Shape s, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int axis = rng.nextInt(s.rank());
        int start = rng.nextInt(s.dim(axis));
        int end = start + 1 + rng.nextInt(s.dim(axis) - start);
        check2("slice", seed, squared(in -> in[0].slice(axis, start, end)), TensorValues.uniform(s, -2, 2, seed));
    }

    @Property(tries = 25)
    void concat(@ForAll("shapesRank1") Shape s, @ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int extra) {
        int axis = new SplittableRandom(seed).nextInt(s.rank());
        Shape other = s.withDim(axis, extra);
        check2("concat", seed, squared(in -> ShapeOps.concat(axis, in[0], in[1])), TensorValues.uniform(s, -2, 2, seed),
                TensorValues.uniform(other, -2, 2, ~seed));
    }

    @Property(tries = 25)
    void pad(@ForAll("shapesRank1") Shape s, @ForAll Padding mode, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] before = new int[s.rank()];
        int[] after = new int[s.rank()];
        for (int i = 0; i < s.rank(); i++) {
            before[i] = rng.nextInt(3);
            after[i] = rng.nextInt(3);
        }
        check2("pad_" + mode, seed, squared(in -> ShapeOps.pad(in[0], before, after, mode)),
                TensorValues.uniform(s, -2, 2, seed));
    }

    // ---------------------------------------------------------------- cast and stopGradient

    /** FLOAT32 inputs through a cast to FLOAT64: the cast's VJP (a cast back) is differentiated, at FLOAT32 tolerance. */
    @Property(tries = 25)
    void cast(@ForAll @IntRange(min = 1, max = 5) int n, @ForAll long seed) {
        Tensor x = TensorValues.uniform(Shape.of(n), -2, 2, seed).to(DType.FLOAT32);
        check2("to", seed, in -> in[0].to(DType.FLOAT64).pow(3.0), x);
    }

    /**
     * stopGradient is a constant at every order (JAX's semantics), which differences of x cannot see: so the check is
     * exact instead. f = Σ x²·exp(stop(x)) has gradient 2x·exp(x) and Hessian diag(2·exp(x)), not the Hessian of
     * Σ x²·exp(x).
     */
    @Property(tries = 25)
    void stopGradient(@ForAll("shapes") Shape s, @ForAll long seed) {
        Tensor x = TensorValues.uniform(s, -2, 2, seed);
        Tensor v = TensorValues.uniform(s, -2, 2, ~seed);
        Tensor hv = io.sipflow.autodiff.Autodiff.hvp(t -> t.square().mul(t.stopGradient().exp()).sum(), x, v);
        double[] expected = x.exp().mul(v).mul(2.0).toDoubleArray();
        for (int i = 0; i < expected.length; i++) {
            org.junit.jupiter.api.Assertions.assertEquals(expected[i], hv.getFlat(i), 1e-12 * (1 + Math.abs(expected[i])));
        }
    }
}
