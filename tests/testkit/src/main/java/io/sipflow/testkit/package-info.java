/**
 * The gradient-test kit: jqwik arbitraries for tensors ({@link io.sipflow.testkit.TensorArbitraries}), the seeded
 * values behind them ({@link io.sipflow.testkit.TensorValues}), and a one-line assertion that an op's VJP agrees
 * with finite differences ({@link io.sipflow.testkit.GradAssert}, on top of {@link io.sipflow.autodiff.GradCheck}).
 * Add {@code io.sipflow:sipflow-testkit} with test scope; it brings jqwik 1.9.3.
 * <p>
 * A user's gradient property for their own op, softplus with a hand-written VJP, over random shapes (rank 0..4),
 * both dtypes and values in [−3, 3):
 * <pre>
 * class SoftplusProperties {
 *     static Tensor softplus(Tensor x) {
 *         return Autodiff.customVjp("softplus", in -&gt; in[0].exp().add(1).log(),
 *                 (in, out, g) -&gt; new Tensor[] {g.div(in[0].neg().exp().add(1))}, x);
 *     }
 *
 *     &#64;Property(tries = 50)
 *     void softplusGradientMatchesFiniteDifferences(&#64;ForAll("inputs") Tensor x) {
 *         GradAssert.assertGradients("softplus", in -&gt; softplus(in[0]), x);
 *     }
 *
 *     &#64;Provide
 *     Arbitrary&lt;Tensor&gt; inputs() {
 *         return TensorArbitraries.tensors(TensorArbitraries.shapes(), TensorArbitraries.dtypes(), -3, 3);
 *     }
 * }
 * </pre>
 * A wrong VJP fails with the op's name, the worst comparison, GradCheck's seed and the inputs' shapes and dtypes;
 * jqwik then shrinks the shape and prints the seed that reproduces the values.
 */
package io.sipflow.testkit;
