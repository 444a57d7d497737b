package io.sipflow.autodiff.backend;

/**
 * Elementwise unary kernels; {@link #apply} is the scalar definition every backend must match. Transcendentals
 * use {@link StrictMath} (fdlibm, pure Java): the same bits on every JDK and CPU, where {@code Math.exp} and
 * friends may be compiled to a CPU- and JDK-specific intrinsic that rounds differently.
 */
public enum UnaryOp {
    /** −x. */
    NEG { public double apply(double x, double p) { return -x; } },
    /** eˣ. */
    EXP { public double apply(double x, double p) { return StrictMath.exp(x); } },
    /** ln x (NaN below 0, −∞ at 0). */
    LOG { public double apply(double x, double p) { return StrictMath.log(x); } },
    /** √x (NaN below 0). */
    SQRT { public double apply(double x, double p) { return Math.sqrt(x); } },
    /** |x|. */
    ABS { public double apply(double x, double p) { return Math.abs(x); } },
    /** sign(x) ∈ {−1, 0, 1} (NaN stays NaN, −0 stays −0). */
    SIGN { public double apply(double x, double p) { return Math.signum(x); } },
    /** max(x, 0); NaN stays NaN, as IEEE max. */
    RELU { public double apply(double x, double p) { return x <= 0 ? 0 : x; } }, // NaN stays NaN, as IEEE max
    /** 1 where x &gt; 0, else 0: the derivative of relu. */
    STEP { public double apply(double x, double p) { return x > 0 ? 1 : 0; } },
    /** x². */
    SQUARE { public double apply(double x, double p) { return x * x; } },
    /** xᵖ with p the op's parameter ({@link StrictMath#pow}). */
    POW { public double apply(double x, double p) { return StrictMath.pow(x, p); } };

    /**
     * The value at {@code x}, the scalar definition every backend matches.
     *
     * @param x the input value
     * @param p POW's exponent, unused by the other ops
     * @return op(x)
     */
    public abstract double apply(double x, double p);
}
