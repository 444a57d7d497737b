package io.sipflow.testkit;

import io.sipflow.autodiff.GradCheck;
import io.sipflow.autodiff.Tensor;

import java.util.StringJoiner;
import java.util.function.Function;

/**
 * The one-line assertion of a gradient property: {@code fn}'s VJP agrees with central finite differences in
 * FLOAT64 ({@link GradCheck}). On failure the AssertionError names the op, the worst comparison, GradCheck's seed,
 * and every input's shape and dtype.
 * <pre>
 * GradAssert.assertGradients("softplus", in -&gt; softplus(in[0]), x);
 * </pre>
 */
public final class GradAssert {
    private GradAssert() {
    }

    /**
     * Asserts {@code fn}'s gradients at {@code inputs} with {@link GradCheck.Options#defaults()}.
     *
     * @param op     the op's name, for the failure message
     * @param fn     the function under test, of the inputs in order; it may return any shape
     * @param inputs where to check, FLOAT32 or FLOAT64 (the tolerance follows the narrowest type)
     */
    public static void assertGradients(String op, Function<Tensor[], Tensor> fn, Tensor... inputs) {
        assertGradients(op, fn, GradCheck.Options.defaults(), inputs);
    }

    /**
     * Asserts {@code fn}'s gradients at {@code inputs}, with GradCheck's random directions drawn from {@code seed}.
     *
     * @param op     the op's name, for the failure message
     * @param fn     the function under test, of the inputs in order; it may return any shape
     * @param seed   seed of GradCheck's random cotangent and directions
     * @param inputs where to check, FLOAT32 or FLOAT64 (the tolerance follows the narrowest type)
     */
    public static void assertGradients(String op, Function<Tensor[], Tensor> fn, long seed, Tensor... inputs) {
        assertGradients(op, fn, GradCheck.Options.defaults().withSeed(seed), inputs);
    }

    /**
     * Asserts {@code fn}'s gradients at {@code inputs} with the given options (tolerance, ε, directions).
     *
     * @param op      the op's name, for the failure message
     * @param fn      the function under test, of the inputs in order; it may return any shape
     * @param options GradCheck's seed, finite-difference step, directions and tolerance
     * @param inputs  where to check
     * @throws AssertionError naming the op, the worst comparison, the seed and the inputs' shapes and dtypes
     */
    public static void assertGradients(String op, Function<Tensor[], Tensor> fn, GradCheck.Options options,
                                       Tensor... inputs) {
        GradCheck.Report report = GradCheck.check(op, fn, options, inputs);
        if (!report.passed()) {
            throw new AssertionError(report + "; inputs " + describe(inputs));
        }
    }

    private static String describe(Tensor[] inputs) {
        StringJoiner j = new StringJoiner(", ");
        for (int i = 0; i < inputs.length; i++) {
            j.add(i + ": " + inputs[i].shape() + " " + inputs[i].dtype());
        }
        return j.toString();
    }
}
