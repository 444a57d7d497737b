package io.sipflow.physics.problem;

import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Module;

import java.util.LinkedHashMap;
import java.util.SplittableRandom;

/**
 * One inverse problem a network learns to solve: find x such that P(x) = y* for observations y*. A problem
 * supplies its data, its forward physics P, the inverse that SIP trains against, its default network and its
 * metrics; the trainer, {@code compare}, {@code evaluate}, checkpoints and plots know nothing else about it. A
 * problem draws no pictures: {@code io.sipflow.physics.plot.ExamplePictures} (module sipflow-plot) does.
 *
 * <pre>
 *   Batch b = problem.sample(batch, random);            // y* (and x_gt where one exists)
 *   Tensor pred = problem.predict(net, b.yTarget());     // the network's x, differentiable
 *   SIP: x = stop(pred); loss = ½‖pred − problem.sipTarget(x, problem.physics(x), y*)‖²
 *   GD:  loss = ½‖problem.physics(pred) − y*‖²
 * </pre>
 * Losses are per example and summed over the batch (the seed's convention). Implementations are immutable and
 * hold their settings (grid size, physics constants), so one instance describes one experiment.
 */
public interface Problem {
    /** The name on the command line and in run.json: "heat", "poisson", "sin". */
    String id();

    /**
     * A batch of training or test data: the observations y* and, where the problem has a unique solution, the
     * ground truth x that produced them (null otherwise, e.g. for the sin problem, where y* is drawn directly).
     */
    record Batch(Tensor xGroundTruth, Tensor yTarget) {
        public int size() {
            return yTarget.dim(0);
        }
    }

    /** A fresh batch of {@code size} examples drawn from {@code random} (the only source of randomness). */
    Batch sample(int size, SplittableRandom random);

    /**
     * Advances {@code random} exactly as {@link #sample sample(size, random)} would, without building the batch:
     * a resumed run fast-forwards its data stream this way ({@link SplittableRandom} cannot be saved). The default
     * draws the batch and drops it; problems with a cheap count of draws override it.
     */
    default void skip(int size, SplittableRandom random) {
        sample(size, random);
    }

    /** The forward physics y = P(x) on a batch, differentiable: GD differentiates through it. */
    Tensor physics(Tensor x);

    /**
     * SIP's regression target x + P⁻¹(y* − y) for a constant x with y = P(x), itself constant (no graph).
     * Problems with an exact inverse return it; others a local (Newton-like) inverse step.
     */
    Tensor sipTarget(Tensor x, Tensor y, Tensor yTarget);

    /** A freshly initialised default network for this problem, weights drawn from {@code seed}. */
    Module newNetwork(long seed);

    /**
     * Throws, saying why, when the network cannot train on batches of {@code batch} examples or be tested on
     * {@code testBatch} (a U-Net's batch norm needs more than one value per channel). Any size by default.
     */
    default void requireBatchSizes(int batch, int testBatch) {
    }

    /**
     * The network's estimate of x from y*, in the physics' type and layout (for heat: the FLOAT32 U-Net on
     * (B, 1, n, n), mean-corrected, returned as (B, n, n) FLOAT64). Differentiable with respect to the network.
     */
    Tensor predict(Module network, Tensor yTarget);

    /**
     * Per-example metrics of the estimate {@code x} on {@code batch}, by name, each of shape (B), in report order;
     * the first is the headline ("x_l2" for heat and Poisson, "y_l2" for sin). Computed without gradients.
     */
    LinkedHashMap<String, Tensor> metrics(Tensor x, Batch batch);

    /** The problem's settings for run.json and for rebuilding it on resume/evaluate (name → number or text). */
    LinkedHashMap<String, Object> settings();

    /** l2(v) = ½·Σ v² over every axis but the first: one value per example, shape (B). */
    static Tensor l2(Tensor v) {
        int[] axes = new int[v.rank() - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return v.square().sum(axes, false).mul(0.5);
    }
}
