package io.sipflow.nn;

import java.util.function.UnaryOperator;

/**
 * Conjugate gradients on (G + λI)·d = b for a symmetric positive semi-definite G given only as products, with
 * vectors as one double array per parameter, started at d = 0 and stopped after a fixed number of iterations or
 * when ‖r‖ ≤ tol·‖b‖:
 * <pre>
 * r = b, p = r
 * repeat:  q = (G + λI)·p;  α = rᵀr / pᵀq;  d ← d + α·p;  r' = r − α·q;  β = r'ᵀr' / rᵀr;  p ← r' + β·p
 * </pre>
 * A direction of non-positive curvature (pᵀq ≤ 0) ends the iteration with the d reached so far.
 */
final class ConjugateGradient {
    private ConjugateGradient() {
    }

    /**
     * The approximate solution and how it was reached.
     *
     * @param x          d
     * @param iterations the products of G taken
     */
    record Result(double[][] x, int iterations) {
    }

    static Result solve(UnaryOperator<double[][]> g, double lambda, double[][] b, int maxIterations,
                        double tolerance) {
        double[][] x = zerosLike(b);
        double[][] r = copy(b);
        double[][] p = copy(b);
        double rr = dot(r, r);
        double stop = tolerance * tolerance * rr;
        int k = 0;
        while (k < maxIterations && rr > stop && rr > 0) {
            double[][] q = g.apply(p);
            k++;
            axpy(lambda, p, q); // q = (G + λI)·p
            double curvature = dot(p, q);
            if (!(curvature > 0)) {
                break;
            }
            double alpha = rr / curvature;
            axpy(alpha, p, x);
            axpy(-alpha, q, r);
            double next = dot(r, r);
            double beta = next / rr;
            rr = next;
            for (int i = 0; i < p.length; i++) {
                for (int e = 0; e < p[i].length; e++) {
                    p[i][e] = r[i][e] + beta * p[i][e];
                }
            }
        }
        return new Result(x, k);
    }

    /** Σᵢ Σₑ a[i][e]·b[i][e]. */
    static double dot(double[][] a, double[][] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            for (int e = 0; e < a[i].length; e++) {
                s += a[i][e] * b[i][e];
            }
        }
        return s;
    }

    /** y ← y + a·x. */
    private static void axpy(double a, double[][] x, double[][] y) {
        for (int i = 0; i < x.length; i++) {
            for (int e = 0; e < x[i].length; e++) {
                y[i][e] += a * x[i][e];
            }
        }
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    private static double[][] zerosLike(double[][] a) {
        double[][] z = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            z[i] = new double[a[i].length];
        }
        return z;
    }
}
