package io.sipflow.physics.problem;

import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Module;

import java.util.LinkedHashMap;
import java.util.SplittableRandom;

/**
 * One inverse problem a network learns to solve: find x such that P(x) = y* for observations y*. A problem
 * supplies its data, its forward physics P, the inverse that SIP trains against, its default network and its
 * metrics; the trainer, {@code compare}, {@code evaluate}, checkpoints and plots know nothing else about it.
 * <pre>{@code
 * Problem problem = new SinProblem(1, 0);          // ξ = 1, φ = 0: y = P(x) = (sin 10x₀, 10x₁)
 * Problem.Batch batch = problem.sample(4, new SplittableRandom(0));
 * Shape shape = batch.yTarget().shape();                       // → (4, 2)
 * double y1 = problem.physics(Tensor.matrix(new double[] {0.05, 0.02})).get(0, 1);   // → 0.2
 * Module net = problem.newNetwork(0);
 * Tensor pred = problem.predict(net, batch.yTarget());          // the network's x, differentiable
 * Tensor x = pred.stopGradient();
 * Tensor target = problem.sipTarget(x, problem.physics(x), batch.yTarget());
 * Tensor sipLoss = Problem.l2(pred.sub(target)).sum();          // SIP
 * Tensor gdLoss = Problem.l2(problem.physics(pred).sub(batch.yTarget())).sum();   // GD, through the physics
 * }</pre>
 * Losses are per example and summed over the batch (the seed's convention). Implementations are immutable and
 * hold their settings (grid size, physics constants), so one instance describes one experiment. A problem draws
 * no pictures: {@code io.sipflow.physics.plot.ExamplePictures} (module sipflow-plot) does.
 */
public interface Problem {
    /** {@return the name on the command line and in run.json: "heat", "poisson", "sin"} */
    String id();

    /**
     * A batch of training or test data: the observations y* and, where the problem has a unique solution, the
     * ground truth x that produced them.
     *
     * @param xGroundTruth x, (B, …), or null where there is none (the sin problem draws y* directly)
     * @param yTarget the observations y*, (B, …)
     */
    record Batch(Tensor xGroundTruth, Tensor yTarget) {
        /** {@return B, the number of examples} */
        public int size() {
            return yTarget.dim(0);
        }
    }

    /**
     * A fresh batch of {@code size} examples drawn from {@code random} (the only source of randomness).
     *
     * @param size the number of examples, ≥ 1
     * @param random the data stream; the same stream gives the same batch on every machine
     * @return the batch
     */
    Batch sample(int size, SplittableRandom random);

    /**
     * Advances {@code random} exactly as {@link #sample sample(size, random)} would, without building the batch:
     * a resumed run fast-forwards its data stream this way ({@link SplittableRandom} cannot be saved). The default
     * draws the batch and drops it; problems with a cheap count of draws override it.
     *
     * @param size the number of examples the skipped batch would have
     * @param random the data stream to advance
     */
    default void skip(int size, SplittableRandom random) {
        sample(size, random);
    }

    /**
     * The forward physics y = P(x) on a batch, differentiable: GD differentiates through it.
     *
     * @param x estimates, (B, …) in the problem's layout
     * @return y = P(x), (B, …) in the observations' layout
     */
    Tensor physics(Tensor x);

    /**
     * SIP's regression target x + P⁻¹(y* − y) for a constant x with y = P(x), itself constant (no graph).
     * Problems with an exact inverse return it; others a local (Newton-like) inverse step.
     *
     * @param x the constant estimate stop(pred)
     * @param y P(x)
     * @param yTarget the observations y*
     * @return the target, of x's shape
     */
    Tensor sipTarget(Tensor x, Tensor y, Tensor yTarget);

    /**
     * SIP's network loss: how far the prediction is from the (constant) SIP target, summed or averaged over the
     * batch. sipflow's convention by default, {@link SipLoss#L2_SUM}: Σ_b ½‖pred − target‖².
     *
     * @param prediction the network's estimate (B, …), differentiable
     * @param target the constant target from {@link #sipTarget}, of the prediction's shape
     * @return the scalar batch loss
     */
    default Tensor sipLoss(Tensor prediction, Tensor target) {
        return SipLoss.L2_SUM.of(prediction, target);
    }

    /**
     * A freshly initialised default network for this problem, weights drawn from {@code seed}.
     *
     * @param seed seeds every weight
     * @return the network (heat and Poisson: a U-Net; sin: an MLP)
     */
    Module newNetwork(long seed);

    /**
     * Throws, saying why, when the network cannot train on batches of {@code batch} examples or be tested on
     * {@code testBatch} (a U-Net's batch norm needs more than one value per channel). Any size by default.
     *
     * @param batch the training batch size
     * @param testBatch the test batch size
     * @throws IllegalArgumentException if either size cannot work, naming it and the reason
     */
    default void requireBatchSizes(int batch, int testBatch) {
    }

    /**
     * The network's estimate of x from y*, in the physics' type and layout (for heat: the FLOAT32 U-Net on
     * (B, 1, n, n), mean-corrected, returned as (B, n, n) FLOAT64). Differentiable with respect to the network.
     *
     * @param network a network made by {@link #newNetwork} (or restored from a checkpoint of one)
     * @param yTarget the observations y*, (B, …)
     * @return x, (B, …)
     */
    Tensor predict(Module network, Tensor yTarget);

    /**
     * Per-example metrics of the estimate {@code x} on {@code batch}, by name, each of shape (B), in report order;
     * the first is the headline ("x_l2" for heat and Poisson, "y_l2" for sin). Computed without gradients.
     *
     * @param x the estimate, (B, …)
     * @param batch the batch x was estimated for
     * @return metric name → per-example values (B)
     */
    LinkedHashMap<String, Tensor> metrics(Tensor x, Batch batch);

    /**
     * A few words naming this instance for console lines and plot titles: "heat 32x32", "sin xi=10 angle=45".
     *
     * @return the description; the id by default
     */
    default String describe() {
        return id();
    }

    /**
     * {@return the problem's settings for run.json and for rebuilding it on resume/evaluate (name → number or text)}
     */
    LinkedHashMap<String, Object> settings();

    /**
     * l2(v) = ½·Σ v² over every axis but the first: one value per example, shape (B).
     *
     * @param v (B, …), rank ≥ 1
     * @return ½·Σ v² per example
     */
    static Tensor l2(Tensor v) {
        int[] axes = new int[v.rank() - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return v.square().sum(axes, false).mul(0.5);
    }
}
