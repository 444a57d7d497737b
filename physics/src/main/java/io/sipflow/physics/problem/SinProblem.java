package io.sipflow.physics.problem;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Precision;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Activation;
import io.sipflow.nn.MLP;
import io.sipflow.nn.Module;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The SIP paper's characterization problem (Fig. 5; the authors' {@code sin_characterization/train_sin.py} and
 * {@code newton.py}): a 2-D x, a 2-D y, and a conditioning ξ that stretches one direction and squeezes the other.
 * <pre>
 *   (a, b) = diag(10/ξ, 10·ξ) · R(φ) · x          R(φ) the counter-clockwise rotation by the angle φ
 *   y = P(x) = (sin a, b)
 * </pre>
 * Targets y* are drawn from U[−1, 1]² (no ground-truth x: every y* has a lattice of exact solutions); the network
 * is PhiFlow's {@code dense_net(2, 2, [32, 64, 32])}. Losses are l2 = ½‖P(x) − y*‖² per example.
 *
 * <p>SIP's target is x + Δx with Δx the authors' {@code newton_minimization(grad, hessian, max_loss_change=0.2)}
 * on the per-example loss (see {@link NewtonStep}). The network regresses onto it with a {@link SipLoss}: sipflow's
 * ½‖pred − target‖² summed over the batch by default, the authors' L1 with the batch mean on request.
 *
 * <p>Precision: FLOAT64 by default. With FLOAT32 (the authors' torch default) the network, the targets y*, the
 * physics, the losses and the Newton step (gradient, Hessian, its eigen-decomposition and the limit) are all
 * computed in single precision, every operation rounded to float as PyTorch would; only the metrics are evaluated
 * in FLOAT64 from the float estimate. The small Hessian eigenvalue, about (10/ξ)², then drowns in the rounding of
 * the large one, (10ξ)²·2⁻²⁴, once ξ⁴ approaches 2²⁴ (ξ near 64), unless the Hessian is diagonal (φ = 0: the two
 * directions do not mix and each entry is rounded on its own scale).
 *
 * <p>Metrics: {@code y_l2} = ½‖P(x) − y*‖², and {@code x_dist} = ‖x − x°‖ with x° the exact solution closest
 * to x. Exact solutions are (a_k, b°) mapped back through diag⁻¹ and R(−φ) with b° = y*₁ and a_k = asin(y*₀) +
 * 2πn or π − asin(y*₀) + 2πn. Since R is orthogonal and the scaling diagonal,
 * ‖x − x_k‖² = (ξ/10)²·(a − a_k)² + (b − b°)²/(10ξ)², and the second term is the same for every k: the closest
 * solution is the one with the nearest a_k, found by rounding (a − a_k)/2π for both branches.
 */
public final class SinProblem implements Problem {
    /** PhiFlow's {@code global_scale}: the authors' value, "the best value for Adam training". */
    public static final double GLOBAL_SCALE = 10;
    /** The authors' {@code max_loss_change} for SIP's Newton step. */
    public static final double MAX_LOSS_CHANGE = 0.2;
    /** The authors' network: hidden widths of {@code dense_net(2, 2, [32, 64, 32])}. */
    public static final List<Integer> HIDDEN = List.of(32, 64, 32);

    private final double xi;
    private final double angleDegrees;
    private final DType precision;
    private final SipLoss networkLoss;
    /** a = ca0·x0 + ca1·x1, b = cb0·x0 + cb1·x1: the rows of diag(10/ξ, 10ξ)·R(φ). */
    private final double ca0;
    private final double ca1;
    private final double cb0;
    private final double cb1;

    /**
     * The problem with conditioning ξ and rotation φ.
     *
     * @param xi ξ &gt; 0, finite (the authors sweep 1…64)
     * @param angleDegrees φ in degrees, finite (their default 45)
     * @throws IllegalArgumentException if ξ is not a finite positive number or φ is not finite
     */
    public SinProblem(double xi, double angleDegrees) {
        this(xi, angleDegrees, DType.FLOAT64, SipLoss.L2_SUM);
    }

    /**
     * The problem with conditioning ξ and rotation φ, computed in {@code precision}, SIP regressing with
     * {@code networkLoss}.
     *
     * @param xi ξ &gt; 0, finite (the authors sweep 1…64)
     * @param angleDegrees φ in degrees, finite (their default 45)
     * @param precision FLOAT64 (sipflow's default) or FLOAT32 (the authors'): network, data, physics, Newton step
     * @param networkLoss SIP's loss of the prediction against its target
     * @throws IllegalArgumentException if ξ is not a finite positive number, φ is not finite, or an argument is null
     */
    public SinProblem(double xi, double angleDegrees, DType precision, SipLoss networkLoss) {
        if (precision == null || networkLoss == null) {
            throw new IllegalArgumentException("sin problem: precision and network loss must be given, got "
                    + precision + ", " + networkLoss);
        }
        this.precision = precision;
        this.networkLoss = networkLoss;
        if (!(xi > 0) || !Double.isFinite(xi) || !Double.isFinite(angleDegrees)) {
            throw new IllegalArgumentException("sin problem: need a finite xi > 0 and a finite angle, got xi=" + xi
                    + " angle=" + angleDegrees);
        }
        this.xi = xi;
        this.angleDegrees = angleDegrees;
        double c = StrictMath.cos(Math.toRadians(angleDegrees));
        double s = StrictMath.sin(Math.toRadians(angleDegrees));
        double sa = GLOBAL_SCALE / xi;
        double sb = GLOBAL_SCALE * xi;
        this.ca0 = sa * c;
        this.ca1 = -sa * s;
        this.cb0 = sb * s;
        this.cb1 = sb * c;
    }

    /** {@return the conditioning ξ} */
    public double xi() {
        return xi;
    }

    /** {@return the rotation φ, in degrees} */
    public double angleDegrees() {
        return angleDegrees;
    }

    /** {@return the type network, data, physics and Newton step are computed in} */
    public DType precision() {
        return precision;
    }

    /** {@return SIP's network loss} */
    public SipLoss networkLoss() {
        return networkLoss;
    }

    private boolean single() {
        return precision == DType.FLOAT32;
    }

    @Override
    public String id() {
        return "sin";
    }

    /** 10 rather than 10.0. */
    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    public String describe() {
        return "sin xi=" + number(xi) + " angle=" + number(angleDegrees) + (single() ? " float32" : "");
    }

    @Override
    public Batch sample(int size, SplittableRandom random) {
        double[] y = new double[2 * size];
        for (int i = 0; i < y.length; i++) {
            y[i] = 2 * random.nextDouble() - 1;
        }
        return new Batch(null, Tensor.of(precision, Shape.of(size, 2), y));
    }

    /** y = (sin a, b) for x (B, 2); differentiable ((a, b) by one matmul, the sine as a custom op). */
    @Override
    public Tensor physics(Tensor x) {
        requireVectors("physics", x);
        return physicsIn(precision, x);
    }

    /** P(x) computed in {@code type}. */
    private Tensor physicsIn(DType type, Tensor x) {
        Tensor mT = Tensor.of(type, Shape.of(2, 2), ca0, cb0, ca1, cb1);
        Tensor ab = x.to(type).matmul(mT);
        Tensor first = Tensor.of(type, Shape.of(1, 2), 1, 0);
        Tensor second = Tensor.of(type, Shape.of(1, 2), 0, 1);
        return sin(ab).mul(first).add(ab.mul(second));
    }

    @Override
    public Tensor sipTarget(Tensor x, Tensor y, Tensor yTarget) {
        requireVectors("sipTarget", x);
        if (single()) {
            return sipTargetSingle(x, yTarget);
        }
        double[] xv = x.toDoubleArray();
        double[] t = yTarget.toDoubleArray();
        double[] out = new double[xv.length];
        for (int i = 0; i < xv.length; i += 2) {
            double[] step = newtonStep(xv[i], xv[i + 1], t[i], t[i + 1]);
            out[i] = xv[i] + step[0];
            out[i + 1] = xv[i + 1] + step[1];
        }
        return Tensor.wrap(x.shape(), out);
    }

    /** {@link #sipTarget} in FLOAT32: every product, sum and function value rounded to float. */
    private Tensor sipTargetSingle(Tensor x, Tensor yTarget) {
        float[] xv = x.to(DType.FLOAT32).toFloatArray();
        float[] t = yTarget.to(DType.FLOAT32).toFloatArray();
        float[] out = new float[xv.length];
        for (int i = 0; i < xv.length; i += 2) {
            float[] step = newtonStepSingle(xv[i], xv[i + 1], t[i], t[i + 1]);
            out[i] = xv[i] + step[0];
            out[i + 1] = xv[i + 1] + step[1];
        }
        return Tensor.wrap(x.shape(), out);
    }

    /** {@link #newtonStep} in float arithmetic (the coefficients rounded to float, as torch holds them). */
    float[] newtonStepSingle(float x0, float x1, float t0, float t1) {
        float fa0 = (float) ca0;
        float fa1 = (float) ca1;
        float fb0 = (float) cb0;
        float fb1 = (float) cb1;
        float a = fa0 * x0 + fa1 * x1;
        float b = fb0 * x0 + fb1 * x1;
        float sinA = (float) StrictMath.sin(a);
        float cosA = (float) StrictMath.cos(a);
        float r = sinA - t0;
        float ra = r * cosA;
        float rb = b - t1;
        float[] grad = {ra * fa0 + rb * fb0, ra * fa1 + rb * fb1};
        float haa = cosA * cosA - r * sinA;
        float[][] h = {
            {haa * fa0 * fa0 + fb0 * fb0, haa * fa0 * fa1 + fb0 * fb1},
            {haa * fa1 * fa0 + fb1 * fb0, haa * fa1 * fa1 + fb1 * fb1}};
        return NewtonStep.limited(grad, h, (float) MAX_LOSS_CHANGE);
    }

    /**
     * The limited Newton step on ½‖P(x) − y*‖² for one example, from its exact gradient and Hessian:
     * with r = sin a − y*₀, w = ∂a/∂x, v = ∂b/∂x,
     * <pre>
     *   ∇ = r·cos a·w + (b − y*₁)·v        H = (cos²a − r·sin a)·w wᵀ + v vᵀ
     * </pre>
     */
    double[] newtonStep(double x0, double x1, double t0, double t1) {
        double a = ca0 * x0 + ca1 * x1;
        double b = cb0 * x0 + cb1 * x1;
        double r = StrictMath.sin(a) - t0;
        double ra = r * StrictMath.cos(a);
        double rb = b - t1;
        double[] grad = {ra * ca0 + rb * cb0, ra * ca1 + rb * cb1};
        double haa = StrictMath.cos(a) * StrictMath.cos(a) - r * StrictMath.sin(a);
        double[][] h = {
            {haa * ca0 * ca0 + cb0 * cb0, haa * ca0 * ca1 + cb0 * cb1},
            {haa * ca1 * ca0 + cb1 * cb0, haa * ca1 * ca1 + cb1 * cb1}};
        return NewtonStep.limited(grad, h, MAX_LOSS_CHANGE);
    }

    /** SIP's regression loss, {@link #networkLoss()}. */
    @Override
    public Tensor sipLoss(Tensor prediction, Tensor target) {
        return networkLoss.of(prediction, target);
    }

    @Override
    public Module newNetwork(long seed) {
        try (var p = Precision.use(precision)) {
            return new MLP(new MLP.Config(2, 2, HIDDEN, Activation.RELU), seed);
        }
    }

    @Override
    public Tensor predict(Module network, Tensor yTarget) {
        requireVectors("predict", yTarget);
        return network.forward(yTarget.to(precision));
    }

    @Override
    public LinkedHashMap<String, Tensor> metrics(Tensor x, Batch batch) {
        return Autodiff.noGrad(() -> {
            LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
            Tensor xc = x.stopGradient().to(DType.FLOAT64); // metrics in FLOAT64 whatever the training type
            Tensor yTarget = batch.yTarget().to(DType.FLOAT64);
            m.put("y_l2", Problem.l2(physicsIn(DType.FLOAT64, xc).sub(yTarget)));
            Tensor closest = closestSolution(xc, yTarget);
            m.put("x_dist", Problem.l2(xc.sub(closest)).mul(2).sqrt());
            return m;
        });
    }

    /**
     * x°: the exact solution of P(x°) = y* closest to x, per example (see the class comment).
     *
     * @param x estimates (B, 2)
     * @param yTarget observations y* (B, 2), each component in [−1, 1]
     * @return x° (B, 2)
     */
    public Tensor closestSolution(Tensor x, Tensor yTarget) {
        double[] xv = x.toDoubleArray();
        double[] t = yTarget.toDoubleArray();
        double[] out = new double[xv.length];
        double det = ca0 * cb1 - ca1 * cb0;
        for (int i = 0; i < xv.length; i += 2) {
            double a = ca0 * xv[i] + ca1 * xv[i + 1];
            double a1 = StrictMath.asin(t[i]);
            double a2 = Math.PI - a1;
            double n1 = (a - a1) / (2 * Math.PI);
            double n2 = (a - a2) / (2 * Math.PI);
            boolean first = Math.abs(Math.rint(n1) - n1) < Math.abs(Math.rint(n2) - n2);
            double as = first ? a1 + 2 * Math.PI * Math.rint(n1) : a2 + 2 * Math.PI * Math.rint(n2);
            double bs = t[i + 1];
            out[i] = (cb1 * as - ca1 * bs) / det;
            out[i + 1] = (-cb0 * as + ca0 * bs) / det;
        }
        return Tensor.wrap(x.shape(), out);
    }

    @Override
    public LinkedHashMap<String, Object> settings() {
        LinkedHashMap<String, Object> s = new LinkedHashMap<>();
        s.put("option.xi", xi);          // the names run.json gives problem options (TrainConfig), so no value twice
        s.put("option.angle", angleDegrees);
        s.put("global_scale", GLOBAL_SCALE);
        s.put("max_loss_change", MAX_LOSS_CHANGE);
        s.put("network", "dense " + HIDDEN + " ReLU");
        s.put("precision", single() ? "float32" : "float64");
        return s;
    }

    /** sin, elementwise; VJP g·cos(x). A custom op: the sine is this problem's only use of it. */
    static Tensor sin(Tensor x) {
        return Autodiff.customVjp("sin", in -> map(in[0], Math::sin),
                (in, out, g) -> new Tensor[] {g.mul(map(in[0], Math::cos))}, x);
    }

    /** f on every value, in x's type: FLOAT32 values are widened, mapped and rounded back to float. */
    private static Tensor map(Tensor x, java.util.function.DoubleUnaryOperator f) {
        if (x.dtype() == DType.FLOAT32) {
            float[] v = x.toFloatArray();
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) f.applyAsDouble(v[i]);
            }
            return Tensor.wrap(x.shape(), v);
        }
        double[] v = x.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = f.applyAsDouble(v[i]);
        }
        return Tensor.wrap(x.shape(), v);
    }

    private static void requireVectors(String what, Tensor t) {
        if (t.rank() != 2 || t.dim(1) != 2) {
            throw new IllegalArgumentException("sin problem " + what + ": expected (B, 2), got " + t.shape());
        }
    }
}
