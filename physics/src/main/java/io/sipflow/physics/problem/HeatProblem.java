package io.sipflow.physics.problem;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Precision;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Activation;
import io.sipflow.nn.Module;
import io.sipflow.nn.Norm;
import io.sipflow.nn.UNet;
import io.sipflow.physics.Diffuse;
import io.sipflow.physics.HeatExamples;
import io.sipflow.physics.InverseDiffuse;

import java.util.LinkedHashMap;
import java.util.SplittableRandom;

/**
 * The seed notebook's problem: recover an initial heat distribution x from its diffused observation
 * y* = D(x, 8, 1). Fields are (B, R, R) FLOAT64; the network sees (B, 1, R, R) FLOAT32.
 * <pre>
 *   x_gt ──D──► y* ──(FLOAT32 U-Net, mean shift)──► pred
 *   SIP target: x + P⁻¹(y* − D(x), 8, |y* − D(x)|·1e−6)          (the seed's damped inverse)
 * </pre>
 */
public final class HeatProblem implements Problem {
    /** Diffusivity · time of the observed process: y* = D(x_gt, 8, 1). */
    public static final double AMOUNT = 8;
    /** The observed process's duration t in D(x, κ, t); with {@link #AMOUNT} = κ·t the diffusion amount is 8 cells². */
    public static final double DT = 1;
    /** The SIP inverse trusts each residual cell to |y* − y| · 1e−6. */
    public static final double UNCERTAINTY_SCALE = 1e-6;
    /** PhiFlow's {@code u_net(1, 1)}: 4 levels, 16 filters, batch norm, ReLU, circular padding (37,697 weights). */
    public static final UNet.Config UNET = new UNet.Config(1, 1, 4, 16, Norm.BATCH, Activation.RELU, Padding.CIRCULAR);

    private final int resolution;
    private final SipLoss networkLoss;

    /**
     * Heat on an R×R periodic grid; R must be a multiple of 8 (the 4-level U-Net halves it three times).
     *
     * @param resolution R, in cells
     * @throws IllegalArgumentException if R is not a positive multiple of 8
     */
    public HeatProblem(int resolution) {
        this(resolution, SipLoss.L2_SUM);
    }

    /**
     * As {@link #HeatProblem(int)}, SIP regressing with {@code networkLoss} instead of Σ½‖·‖².
     *
     * @param resolution R, in cells
     * @param networkLoss SIP's loss of the prediction against its target
     * @throws IllegalArgumentException if R is not a positive multiple of 8 or the loss is null
     */
    public HeatProblem(int resolution, SipLoss networkLoss) {
        if (networkLoss == null) {
            throw new IllegalArgumentException("HeatProblem: the SIP network loss must be given");
        }
        if (resolution < 8 || resolution % 8 != 0) {
            throw new IllegalArgumentException("resolution " + resolution + " is not a positive multiple of 2^3 = 8,"
                    + " which a 4-level U-Net needs (try 16, 32 or 64)");
        }
        this.resolution = resolution;
        this.networkLoss = networkLoss;
    }

    /** SIP's regression loss (Σ½‖·‖² unless given). */
    @Override
    public Tensor sipLoss(Tensor prediction, Tensor target) {
        return networkLoss.of(prediction, target);
    }

    @Override
    public void requireBatchSizes(int batch, int testBatch) {
        BatchNormSizes.require(UNET, resolution, batch, testBatch);
    }

    @Override
    public String id() {
        return "heat";
    }

    @Override
    public String describe() {
        return "heat " + resolution + "x" + resolution;
    }

    /** {@return R, the grid size in cells} */
    public int resolution() {
        return resolution;
    }

    @Override
    public Batch sample(int size, SplittableRandom random) {
        Tensor xGt = HeatExamples.generate(size, resolution, resolution, random);
        return new Batch(xGt, physics(xGt));
    }

    /** The generator draws 1 + 5·10 uniforms per example, whatever the grid. */
    @Override
    public void skip(int size, SplittableRandom random) {
        for (long i = 0; i < (long) size * (1 + 5 * HeatExamples.CANDIDATE_BOXES); i++) {
            random.nextDouble();
        }
    }

    /** y = D(x, 8, 1), in FLOAT64. */
    @Override
    public Tensor physics(Tensor x) {
        return Diffuse.fourier(x, AMOUNT, DT);
    }

    /**
     * x + P⁻¹(y* − y, 8, |y* − y|·1e−6). P⁻¹'s result is a constant, so no gradient flows through the residual: it
     * is computed from constants (the same values) off the graph. The residual, its magnitude, the uncertainty and
     * the correction are then this method's own, read by nothing after the sum, and their arrays go back to the
     * buffer pool for the next step's.
     */
    @Override
    public Tensor sipTarget(Tensor x, Tensor y, Tensor yTarget) {
        Tensor residual = yTarget.constant().sub(y.constant());
        Tensor magnitude = residual.abs();
        Tensor uncertainty = magnitude.mul(UNCERTAINTY_SCALE);
        Tensor dx = InverseDiffuse.correction(residual, AMOUNT, uncertainty);
        Tensor target = x.add(dx);
        for (Tensor temporary : new Tensor[] {residual, magnitude, uncertainty, dx}) {
            BufferPool.recycleTemporary(temporary, "HeatProblem.sipTarget");
        }
        return target;
    }

    /**
     * A freshly initialised {@link #UNET} with FLOAT32 weights, as the seed's network (PhiFlow runs it under
     * {@code math.precision(32)}); the optimizer's moments stay in double and each update is rounded once.
     */
    @Override
    public Module newNetwork(long seed) {
        try (Precision p = Precision.use(DType.FLOAT32)) {
            return new UNet(UNET, seed);
        }
    }

    /**
     * Runs the network in FLOAT32 on (B, 1, ny, nx), shifts each example so that its mean equals the
     * observation's (diffusion keeps the mean), returns (B, ny, nx) FLOAT64.
     */
    @Override
    @SuppressWarnings("try") // the scope is used for its effect, not referenced
    public Tensor predict(Module network, Tensor yTarget) {
        int b = yTarget.dim(0);
        int ny = yTarget.dim(1);
        int nx = yTarget.dim(2);
        int[] spatial = {1, 2};
        Tensor targetMean = yTarget.constant().mean(spatial, true);
        Tensor prediction;
        Tensor input;
        Tensor raw;
        try (Precision p = Precision.use(DType.FLOAT32)) {
            input = yTarget.constant().to(DType.FLOAT32).reshape(b, 1, ny, nx);
            raw = network.forward(input).reshape(b, ny, nx);
            prediction = raw.add(targetMean.to(DType.FLOAT32).sub(raw.mean(spatial, true)));
        }
        Tensor result = prediction.to(DType.FLOAT64);
        // the FLOAT32 copies go back to the buffer pool, as the network's activations do
        PredictionTemporaries.release("HeatProblem.predict", new Tensor[] {input, raw, prediction}, yTarget, result);
        return result;
    }

    /** x_l2 = ½Σ(x_gt − x)² and x_l1 = Σ|x_gt − x| per example. */
    @Override
    public LinkedHashMap<String, Tensor> metrics(Tensor x, Batch batch) {
        return Autodiff.noGrad(() -> {
            Tensor error = batch.xGroundTruth().sub(x);
            LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
            m.put("x_l2", Problem.l2(error));
            m.put("x_l1", error.abs().sum(new int[] {1, 2}, false));
            return m;
        });
    }

    @Override
    public LinkedHashMap<String, Object> settings() {
        LinkedHashMap<String, Object> s = new LinkedHashMap<>();
        s.put("resolution", resolution);
        s.put("diffusion_amount", AMOUNT);
        s.put("diffusion_dt", DT);
        s.put("uncertainty_scale", UNCERTAINTY_SCALE);
        s.put("network", UNET.toString().replaceFirst("^Config", "UNet"));
        s.put("network_precision", "float32");
        s.put("physics_precision", "float64");
        return s;
    }
}
