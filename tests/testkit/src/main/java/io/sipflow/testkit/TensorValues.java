package io.sipflow.testkit;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

import java.util.SplittableRandom;

/**
 * Tensor values drawn from a seed: the same seed always gives the same tensor, so a failing property's seed
 * reproduces its inputs. {@link TensorArbitraries} wraps these as jqwik arbitraries; a property that already
 * draws a {@code long seed} can call them directly.
 */
public final class TensorValues {
    private TensorValues() {
    }

    /**
     * FLOAT64 values uniform in [lo, hi).
     *
     * @param s    the shape
     * @param lo   smallest value
     * @param hi   bound above every value
     * @param seed where the values come from
     * @return a new FLOAT64 tensor
     */
    public static Tensor uniform(Shape s, double lo, double hi, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * rng.nextDouble();
        }
        return Tensor.of(s, v);
    }

    /**
     * Values uniform in [lo, hi), stored as {@code dtype} (FLOAT32 rounds each value once).
     *
     * @param dtype the element type
     * @param s     the shape
     * @param lo    smallest value
     * @param hi    bound above every value
     * @param seed  where the values come from
     * @return a new tensor of type {@code dtype}
     */
    public static Tensor uniform(DType dtype, Shape s, double lo, double hi, long seed) {
        return Tensor.of(dtype, s, uniform(s, lo, hi, seed).toDoubleArray());
    }

    /**
     * FLOAT64 values in ±[0.2, 2): away from 0, where abs, sign, relu and division have kinks or poles.
     *
     * @param s    the shape
     * @param seed where the values come from
     * @return a new FLOAT64 tensor
     */
    public static Tensor awayFromZero(Shape s, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (rng.nextBoolean() ? 1 : -1) * (0.2 + 1.8 * rng.nextDouble());
        }
        return Tensor.of(s, v);
    }

    /**
     * FLOAT64 values spaced at least 0.05 apart, shuffled: value i is −1 + 0.1·i + 0.05·u before the shuffle, so
     * max and argmax are unique and stay so under a finite-difference step.
     *
     * @param s    the shape
     * @param seed where the values come from
     * @return a new FLOAT64 tensor
     */
    public static Tensor distinct(Shape s, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.1 * i + 0.05 * rng.nextDouble() - 1;
        }
        for (int i = v.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            double t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return Tensor.of(s, v);
    }

    /**
     * An n×n FLOAT64 matrix A = I + E with ‖E‖_F = r = (κ − 1)/(κ + 1): every singular value lies in
     * [1 − r, 1 + r] (Weyl), so A is invertible with condition number at most κ.
     *
     * @param n     rows and columns
     * @param kappa bound on the condition number, finite and at least 1
     * @param seed  where E comes from
     * @return a new n×n FLOAT64 matrix
     */
    public static Tensor wellConditioned(int n, double kappa, long seed) {
        return Tensor.of(Shape.of(n, n), identityPlus(perturbation(n, radius(kappa), seed, false), n));
    }

    /**
     * An n×n symmetric positive definite FLOAT64 matrix A = I + E, E symmetric with ‖E‖_F = (κ − 1)/(κ + 1):
     * every eigenvalue lies in [1 − r, 1 + r], so A is positive definite with condition number at most κ.
     *
     * @param n     rows and columns
     * @param kappa bound on the condition number, finite and at least 1
     * @param seed  where E comes from
     * @return a new n×n symmetric FLOAT64 matrix
     */
    public static Tensor symmetricPositiveDefinite(int n, double kappa, long seed) {
        return Tensor.of(Shape.of(n, n), identityPlus(perturbation(n, radius(kappa), seed, true), n));
    }

    private static double radius(double kappa) {
        if (!(kappa >= 1) || Double.isInfinite(kappa)) {
            throw new IllegalArgumentException("condition number bound κ must be finite and at least 1, got " + kappa);
        }
        return (kappa - 1) / (kappa + 1);
    }

    /** A random n×n matrix (symmetric if asked) scaled to Frobenius norm r (0 stays 0). */
    private static double[] perturbation(int n, double r, long seed, boolean symmetric) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] e = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = symmetric ? i : 0; j < n; j++) {
                double u = 2 * rng.nextDouble() - 1;
                e[i * n + j] = u;
                e[j * n + i] = symmetric ? u : e[j * n + i];
            }
        }
        double norm = 0;
        for (double x : e) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        for (int k = 0; k < e.length; k++) {
            e[k] = norm == 0 ? 0 : e[k] * r / norm;
        }
        return e;
    }

    private static double[] identityPlus(double[] e, int n) {
        for (int i = 0; i < n; i++) {
            e[i * n + i] += 1;
        }
        return e;
    }
}
