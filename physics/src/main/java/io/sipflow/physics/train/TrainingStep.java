package io.sipflow.physics.train;

import io.sipflow.autodiff.BufferScope;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Module;
import io.sipflow.nn.Optimizer;
import io.sipflow.nn.Training;
import io.sipflow.physics.problem.Problem;

/**
 * The one training step, for every method (each {@link Method} owns its optimizer, loss and update); the trainer,
 * {@code bench} and the heap plan all call it.
 * <pre>
 *   pred = problem.predict(net, y*);  x = stop(pred)
 *   SIP:      loss = Σ_b ½‖pred − stop(problem.sipTarget(x, P(x), y*))‖²     → Adam
 *   GD, SGD:  loss = Σ_b ½‖P(pred) − y*‖²                                    → Adam (GD) or SGD (SGD)
 *   HIG:      the same loss; direction V·Σ^(−½)·Uᵀ·∂L/∂y ({@link HigStep})   → SGD
 * </pre>
 * then {@link Training#updateWeights}: gradients, checks for non-finite values, the optimizer.
 */
public final class TrainingStep {
    private TrainingStep() {
    }

    /**
     * The constant estimate and its physics, for the step's metrics.
     *
     * @param x stop(pred)
     * @param y P(x) (for GD and SGD: P(pred), cut from the graph)
     */
    public record Outputs(Tensor x, Tensor y) {
    }

    /**
     * The optimizer the config's method trains with ({@link Method#newOptimizer}): Adam (with the config's ε) for
     * SIP and GD, SGD with the config's momentum (and Nesterov flag) for SGD, SGD without momentum for HIG (its
     * direction is the update).
     *
     * @param config the run (method, learning rate, Adam ε)
     * @param network the network whose parameters it updates
     * @return a fresh optimizer at step 0
     */
    public static Optimizer newOptimizer(TrainConfig config, Module network) {
        return config.method().newOptimizer(config, network);
    }

    /**
     * Throws for a run that cannot train, so a command can stop before any work: problem options the problem
     * refuses (the sin problem's xi ≤ 0 or NaN), batch sizes its network cannot train on (batch norm with one
     * value per channel), HIG where the per-example Jacobian would exceed its limit (the heat U-Net), naming the
     * size and the limit.
     *
     * @param config the run
     * @throws IllegalArgumentException if the run cannot train
     */
    public static void requireFeasible(TrainConfig config) {
        Problems.create(config).requireBatchSizes(config.batch(), config.testBatch());
        config.method().requireFits(config);
    }

    /**
     * The batch loss of {@code method} with its graph, and the step's outputs (HIG: GD's loss).
     *
     * @param problem the problem
     * @param method SIP, GD, SGD or HIG
     * @param network the network being trained
     * @param batch the training batch
     * @return the summed loss (differentiable with respect to the network) and the outputs
     */
    public static Training.Loss<Outputs> loss(Problem problem, Method method, Module network, Problem.Batch batch) {
        return method.loss(new Method.Input(problem, network, batch));
    }

    /**
     * One update of {@code network} on {@code batch}.
     *
     * @param problem the problem
     * @param method SIP, GD, SGD or HIG
     * @param network the network being trained
     * @param optimizer the optimizer {@link #newOptimizer} made for the method
     * @param batch the training batch
     * @return the summed loss before the update and the outputs
     * @throws io.sipflow.nn.NonFiniteException if a value goes non-finite; nothing then changes
     */
    public static Training.Step<Outputs> run(Problem problem, Method method, Module network, Optimizer optimizer,
                                             Problem.Batch batch) {
        // The step's graph values go back to the buffer pool when it ends, for the next step's activations; what the
        // caller reads afterwards (the loss, x and y for the metrics) is kept. A tensor of the step read later by
        // anyone else throws, naming it.
        try (BufferScope step = BufferScope.open("training step")) {
            Training.Step<Outputs> result = method.update(new Method.Input(problem, network, batch), optimizer);
            step.keep(result.loss());
            if (result.aux() != null) {
                step.keep(result.aux().x(), result.aux().y());
            }
            return result;
        }
    }
}
