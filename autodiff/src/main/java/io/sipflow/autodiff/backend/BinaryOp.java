package io.sipflow.autodiff.backend;

/** Elementwise binary kernels; {@link #apply} is the scalar definition every backend must match. */
public enum BinaryOp {
    ADD { public double apply(double a, double b) { return a + b; } },
    SUB { public double apply(double a, double b) { return a - b; } },
    MUL { public double apply(double a, double b) { return a * b; } },
    DIV { public double apply(double a, double b) { return a / b; } },
    POW { public double apply(double a, double b) { return StrictMath.pow(a, b); } },
    MAXIMUM { public double apply(double a, double b) { return Math.max(a, b); } },
    MINIMUM { public double apply(double a, double b) { return Math.min(a, b); } },
    /** 1 where a &gt; b, else 0 (masks carry the inputs' type). */
    GREATER { public double apply(double a, double b) { return a > b ? 1 : 0; } },
    GREATER_EQUAL { public double apply(double a, double b) { return a >= b ? 1 : 0; } },
    LESS { public double apply(double a, double b) { return a < b ? 1 : 0; } },
    LESS_EQUAL { public double apply(double a, double b) { return a <= b ? 1 : 0; } },
    EQUAL { public double apply(double a, double b) { return a == b ? 1 : 0; } };

    public abstract double apply(double a, double b);
}
