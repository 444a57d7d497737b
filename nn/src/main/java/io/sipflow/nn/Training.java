package io.sipflow.nn;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Tensor;

import java.util.function.Supplier;

/**
 * One training step, like PhiFlow's {@code update_weights(net, optimizer, loss_function)}:
 * <pre>
 * Training.Step&lt;Tensor&gt; s = Training.updateWeights(net, adam, () -&gt; {
 *     Tensor pred = net.forward(y);
 *     return new Training.Loss&lt;&gt;(pred.sub(x).square().sum(new int[] {1, 2, 3}, false).mul(0.5), pred);
 * });
 * </pre>
 * The loss may be per example: it is summed over all its elements (PhiFlow sums over the batch), differentiated
 * with respect to every parameter of the module, and the optimizer takes one step. The step frees the graph it
 * differentiated ({@link Autodiff.AfterBackward#FREE_GRAPH}), so tensors in {@code aux} keep their values but cannot
 * be differentiated again.
 */
public final class Training {
    private Training() {
    }

    /**
     * What a loss function returns: the loss (scalar or one value per example) and anything else the caller wants
     * back (predictions, metrics), which is passed through untouched.
     */
    public record Loss<A>(Tensor value, A aux) {
        /** A loss with no auxiliary output. */
        public static Loss<Void> of(Tensor value) {
            return new Loss<>(value, null);
        }
    }

    /** The summed loss of a step (a constant scalar, computed before the update) and the auxiliary outputs. */
    public record Step<A>(Tensor loss, A aux) {
    }

    /** Evaluates {@code lossFunction}, differentiates the summed loss, and applies one optimizer step. */
    public static <A> Step<A> updateWeights(Module module, Optimizer optimizer, Supplier<Loss<A>> lossFunction) {
        Loss<A> result = lossFunction.get();
        Tensor total = result.value().size() == 1 && result.value().rank() == 0 ? result.value() : result.value().sum();
        // A parameter the loss does not reach gets a zero gradient (PyTorch would skip it; Adam's moments still decay).
        // The graph is freed as the backward pass goes (as PyTorch's backward() does): lower peak memory.
        Gradients g = Autodiff.grad(total, module.parameterValues(), Autodiff.Disconnected.ZERO,
                Autodiff.AfterBackward.FREE_GRAPH);
        optimizer.step(g);
        return new Step<>(total.stopGradient(), result.aux());
    }
}
