package io.sipflow.autodiff.backend;

/**
 * Elementwise unary kernels; {@link #apply} is the scalar definition every backend must match. Transcendentals
 * use {@link StrictMath} (fdlibm, pure Java): the same bits on every JDK and CPU, where {@code Math.exp} and
 * friends may be compiled to a CPU- and JDK-specific intrinsic that rounds differently.
 */
public enum UnaryOp {
    NEG { public double apply(double x, double p) { return -x; } },
    EXP { public double apply(double x, double p) { return StrictMath.exp(x); } },
    LOG { public double apply(double x, double p) { return StrictMath.log(x); } },
    SQRT { public double apply(double x, double p) { return Math.sqrt(x); } },
    ABS { public double apply(double x, double p) { return Math.abs(x); } },
    SIGN { public double apply(double x, double p) { return Math.signum(x); } },
    RELU { public double apply(double x, double p) { return x <= 0 ? 0 : x; } }, // NaN stays NaN, as IEEE max
    /** 1 where x &gt; 0, else 0: the derivative of relu. */
    STEP { public double apply(double x, double p) { return x > 0 ? 1 : 0; } },
    SQUARE { public double apply(double x, double p) { return x * x; } },
    POW { public double apply(double x, double p) { return StrictMath.pow(x, p); } };

    /** The value at {@code x}; {@code p} is POW's exponent. */
    public abstract double apply(double x, double p);
}
