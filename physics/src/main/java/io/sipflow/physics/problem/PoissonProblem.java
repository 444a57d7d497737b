package io.sipflow.physics.problem;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Precision;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Activation;
import io.sipflow.nn.Module;
import io.sipflow.nn.Norm;
import io.sipflow.nn.UNet;
import io.sipflow.autodiff.Padding;
import io.sipflow.physics.Laplace;
import io.sipflow.physics.Noise;

import java.util.LinkedHashMap;
import java.util.SplittableRandom;

/**
 * The paper's Poisson experiment (Holl, Koltun &amp; Thuerey 2022, Fig. 6a/b; the authors' {@code poisson/} script):
 * recover a source field x from the solution y of Poisson's equation ∇²y = x.
 * <pre>
 *   x_gt = Noise(scale 10, smoothness 1) on R×R       data: PhiFlow's Noise(), mean 0, std 1 per field
 *   P(x) = solve(∇², x) by CG, rel. tol 1e-5, x0 = 0    forward physics, differentiable (adjoint solve)
 *   SIP target: x + P⁻¹(y* − y) = x + ∇²(y* − y) = x − ∇²(y − y*)      the exact inverse, one stencil
 * </pre>
 * ∇² is the 5-point Laplacian with zero values outside the grid (PhiFlow's default {@code CenteredGrid}
 * boundary), cell size 1. The network is the seed's U-Net(1 → 1) in FLOAT32 on (B, 1, R, R); unlike heat, its
 * output is used as it is (the authors' script applies no mean correction: a zero-boundary Poisson problem has
 * no undetermined constant). Metrics per example: x_l2 = ½‖x_gt − x‖², x_l1 = Σ|x_gt − x|,
 * y_l2 = ½‖P(x) − y*‖².
 */
public final class PoissonProblem implements Problem {
    /** The grid size R of the small default (the paper uses 64). */
    public static final int DEFAULT_RESOLUTION = 32;

    private final int resolution;
    private final SipLoss networkLoss;

    private static final UNet.Config UNET = new UNet.Config(1, 1, 4, 16, Norm.BATCH, Activation.RELU,
            Padding.CIRCULAR);

    /**
     * The Poisson problem on R×R grids.
     *
     * @param resolution R, in cells
     * @throws IllegalArgumentException if R is not a positive multiple of 8
     */
    public PoissonProblem(int resolution) {
        this(resolution, SipLoss.L2_SUM);
    }

    /**
     * As {@link #PoissonProblem(int)}, SIP regressing with {@code networkLoss} instead of Σ½‖·‖².
     *
     * @param resolution R, in cells
     * @param networkLoss SIP's loss of the prediction against its target
     * @throws IllegalArgumentException if R is not a positive multiple of 8 or the loss is null
     */
    public PoissonProblem(int resolution, SipLoss networkLoss) {
        if (networkLoss == null) {
            throw new IllegalArgumentException("PoissonProblem: the SIP network loss must be given");
        }
        if (resolution < 8 || resolution % 8 != 0) {
            throw new IllegalArgumentException("PoissonProblem: resolution " + resolution
                    + " must be a positive multiple of 2^3 = 8 for the 4-level U-Net");
        }
        this.resolution = resolution;
        this.networkLoss = networkLoss;
    }

    /** SIP's regression loss (Σ½‖·‖² unless given). */
    @Override
    public Tensor sipLoss(Tensor prediction, Tensor target) {
        return networkLoss.of(prediction, target);
    }

    /** The small default, R = 32. */
    public PoissonProblem() {
        this(DEFAULT_RESOLUTION);
    }

    /** {@return R, the grid size in cells} */
    public int resolution() {
        return resolution;
    }

    @Override
    public void requireBatchSizes(int batch, int testBatch) {
        BatchNormSizes.require(UNET, resolution, batch, testBatch);
    }

    @Override
    public String id() {
        return "poisson";
    }

    @Override
    public String describe() {
        return "poisson " + resolution + "x" + resolution;
    }

    /** x_gt from {@link Noise}, y* = P(x_gt), both (B, R, R) FLOAT64 and constant. */
    @Override
    public Batch sample(int size, SplittableRandom random) {
        Tensor xGt = Noise.sample(size, resolution, resolution, random);
        return new Batch(xGt, Autodiff.noGrad(() -> physics(xGt)));
    }

    /** Draws what {@link #sample} draws (the noise's normals), without the FFTs and the solves: for resuming. */
    @Override
    public void skip(int size, SplittableRandom random) {
        Noise.skip(size, resolution, resolution, random);
    }

    /** y = (∇²)⁻¹x by CG ({@link Laplace#solve}); its VJP is one more CG solve. */
    @Override
    public Tensor physics(Tensor x) {
        return Laplace.solve(x);
    }

    /** x + P⁻¹(y* − y) with P⁻¹ = ∇²: the exact inverse of the solve (up to its tolerance). */
    @Override
    public Tensor sipTarget(Tensor x, Tensor y, Tensor yTarget) {
        return Autodiff.noGrad(() -> x.add(Laplace.apply(yTarget.sub(y))));
    }

    /** The seed's U-Net(1 → 1): 4 levels, 16 filters, batch norm, ReLU, circular padding, FLOAT32 weights. */
    @Override
    public Module newNetwork(long seed) {
        try (Precision p = Precision.use(DType.FLOAT32)) {
            return new UNet(UNET, seed);
        }
    }

    /** The FLOAT32 network on (B, 1, R, R), returned as (B, R, R) FLOAT64, without any correction. */
    @Override
    public Tensor predict(Module network, Tensor yTarget) {
        int b = yTarget.dim(0);
        Tensor input;
        Tensor raw;
        try (Precision p = Precision.use(DType.FLOAT32)) {
            input = yTarget.constant().to(DType.FLOAT32).reshape(b, 1, resolution, resolution);
            raw = network.forward(input).reshape(b, resolution, resolution);
        }
        Tensor result = raw.to(DType.FLOAT64);
        // the FLOAT32 copies go back to the buffer pool, as the network's activations do
        PredictionTemporaries.release("PoissonProblem.predict", new Tensor[] {input, raw}, yTarget, result);
        return result;
    }

    @Override
    public LinkedHashMap<String, Tensor> metrics(Tensor x, Batch batch) {
        return Autodiff.noGrad(() -> {
            Tensor xv = x.stopGradient();
            Tensor err = batch.xGroundTruth().sub(xv);
            LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
            m.put("x_l2", Problem.l2(err));
            m.put("x_l1", err.abs().sum(new int[] {1, 2}, false));
            m.put("y_l2", Problem.l2(physics(xv).sub(batch.yTarget())));
            return m;
        });
    }

    @Override
    public LinkedHashMap<String, Object> settings() {
        LinkedHashMap<String, Object> s = new LinkedHashMap<>();
        s.put("resolution", resolution);
        s.put("noise_scale", Noise.SCALE);
        s.put("noise_smoothness", Noise.SMOOTHNESS);
        s.put("cg_tolerance", Laplace.TOLERANCE);
        return s;
    }
}
