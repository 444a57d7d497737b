package io.sipflow.autodiff.backend;

/** Elementwise binary kernels; {@link #apply} is the scalar definition every backend must match. */
public enum BinaryOp {
    /** a + b. */
    ADD { public double apply(double a, double b) { return a + b; } },
    /** a − b. */
    SUB { public double apply(double a, double b) { return a - b; } },
    /** a · b. */
    MUL { public double apply(double a, double b) { return a * b; } },
    /** a / b (IEEE: ±∞ or NaN for b = 0). */
    DIV { public double apply(double a, double b) { return a / b; } },
    /** a^b ({@link StrictMath#pow}). */
    POW { public double apply(double a, double b) { return StrictMath.pow(a, b); } },
    /** max(a, b); NaN if either is NaN ({@link Math#max}). */
    MAXIMUM { public double apply(double a, double b) { return Math.max(a, b); } },
    /** min(a, b); NaN if either is NaN ({@link Math#min}). */
    MINIMUM { public double apply(double a, double b) { return Math.min(a, b); } },
    /** 1 where a &gt; b, else 0 (masks carry the inputs' type). */
    GREATER { public double apply(double a, double b) { return a > b ? 1 : 0; } },
    /** 1 where a ≥ b, else 0. */
    GREATER_EQUAL { public double apply(double a, double b) { return a >= b ? 1 : 0; } },
    /** 1 where a &lt; b, else 0. */
    LESS { public double apply(double a, double b) { return a < b ? 1 : 0; } },
    /** 1 where a ≤ b, else 0. */
    LESS_EQUAL { public double apply(double a, double b) { return a <= b ? 1 : 0; } },
    /** 1 where a == b (never for NaN), else 0. */
    EQUAL { public double apply(double a, double b) { return a == b ? 1 : 0; } };

    /**
     * The value at (a, b), the scalar definition every backend matches.
     *
     * @param a the left operand
     * @param b the right operand
     * @return op(a, b)
     */
    public abstract double apply(double a, double b);
}
