package io.sipflow.nn;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

import java.util.SplittableRandom;

/** PyTorch's default initialisations, drawn from a seeded generator. */
public final class Init {
    private Init() {
    }

    /**
     * Values drawn independently from U(−bound, bound).
     *
     * @param rng the random source, advanced once per element
     * @param dtype the result type
     * @param shape the result shape
     * @param bound the half-width of the interval
     * @return a new constant
     */
    public static Tensor uniform(SplittableRandom rng, DType dtype, Shape shape, double bound) {
        double[] v = new double[shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (2 * rng.nextDouble() - 1) * bound;
        }
        return Tensor.of(dtype, shape, v);
    }

    /**
     * PyTorch's conv/linear weight default {@code kaiming_uniform_(w, a=√5)}: gain = √(2/(1+a²)) = √(1/3),
     * bound = gain·√(3/fan_in) = 1/√fan_in, with fan_in = in_channels·k·k.
     *
     * @param rng the random source
     * @param dtype the result type
     * @param shape the weight's shape
     * @param fanIn inputs per output, in_channels·k·k
     * @return U(±1/√fanIn) values
     */
    public static Tensor kaimingUniformA5(SplittableRandom rng, DType dtype, Shape shape, int fanIn) {
        return uniform(rng, dtype, shape, 1.0 / Math.sqrt(fanIn));
    }
}
