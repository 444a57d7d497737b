package io.sipflow.nn;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>A step is all or nothing: if the loss, any parameter's gradient or any updated parameter holds a NaN or an
 * infinity, it throws {@link NonFiniteException} naming which, and the module (parameters and buffers such as
 * batch-norm statistics) and the optimizer are as they were before the step.
 */
public final class Training {
    private Training() {
    }

    /**
     * What a loss function returns: the loss (scalar or one value per example) and anything else the caller wants
     * back (predictions, metrics), which is passed through untouched.
     *
     * @param <A> the type of the auxiliary output
     * @param value the loss, summed over all its elements before differentiating
     * @param aux anything to hand back to the caller, or null
     */
    public record Loss<A>(Tensor value, A aux) {
        /**
         * A loss with no auxiliary output.
         *
         * @param value the loss
         * @return the loss with {@code aux = null}
         */
        public static Loss<Void> of(Tensor value) {
            return new Loss<>(value, null);
        }
    }

    /**
     * The summed loss of a step (a constant scalar, computed before the update) and the auxiliary outputs.
     *
     * @param <A> the type of the auxiliary output
     * @param loss the summed loss, shape (), cut from the graph
     * @param aux what the loss function returned beside the loss
     */
    public record Step<A>(Tensor loss, A aux) {
    }

    /**
     * Evaluates {@code lossFunction}, differentiates the summed loss, and applies one optimizer step. A parameter
     * the loss does not reach gets a zero gradient. The backward pass frees the graph as it goes; when it ends, the
     * library modules' internal activations go back to {@link io.sipflow.autodiff.BufferPool} for the next step, with
     * or without a {@link io.sipflow.autodiff.BufferScope} (the values the loss function computes around the network
     * go back only inside one, as {@code TrainingStep.run} opens).
     *
     * @param <A> the type of the auxiliary output
     * @param module the module whose parameters are differentiated and updated
     * @param optimizer the optimizer over the module's parameters
     * @param lossFunction runs the forward pass and returns the loss
     * @return the summed loss before the update and the auxiliary output
     * @throws NonFiniteException if the loss, a gradient or an updated weight is NaN or infinite; the module's
     *         parameters and buffers and the optimizer are then as before the call
     */
    public static <A> Step<A> updateWeights(Module module, Optimizer optimizer, Supplier<Loss<A>> lossFunction) {
        List<Tensor> buffersBefore = bufferValues(module); // the forward pass may update batch-norm statistics
        try {
            Loss<A> result = lossFunction.get();
            Tensor total = result.value().size() == 1 && result.value().rank() == 0 ? result.value()
                    : result.value().sum();
            NonFiniteException.check("the loss", total);
            // A parameter the loss does not reach gets a zero gradient (PyTorch would skip it; Adam's moments still
            // decay). The graph is freed as the backward pass goes (as PyTorch's backward() does): lower peak memory.
            Gradients g = Autodiff.grad(total, module.parameterValues(), Autodiff.Disconnected.ZERO,
                    Autodiff.AfterBackward.FREE_GRAPH);
            applyUpdate(module, optimizer, g);
            return new Step<>(total.stopGradient(), result.aux());
        } catch (RuntimeException e) {
            restoreBuffers(module, buffersBefore);
            throw e;
        }
    }

    /**
     * Applies {@code update} (gradients, or a direction such as half-inverse gradients, keyed by the current
     * parameter values) through {@code optimizer}, checking the update and the new weights first: on a non-finite
     * value nothing changes and {@link NonFiniteException} names the parameter.
     *
     * @param module the module whose parameters are updated
     * @param optimizer the optimizer over the module's parameters
     * @param update one tensor per parameter value, of its shape
     * @throws NonFiniteException if the update or an updated weight is NaN or infinite (nothing changes)
     * @throws IllegalArgumentException if a parameter has no entry in {@code update}
     */
    public static void applyUpdate(Module module, Optimizer optimizer, Gradients update) {
        Map<String, Parameter> params = module.namedParameters();
        Map<String, Tensor> updates = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            updates.put(e.getKey(), update.get(e.getValue().value()));
        }
        NonFiniteException.checkAll("the gradient of ", updates);
        List<Tensor> before = new ArrayList<>();
        for (Parameter p : params.values()) {
            before.add(p.value());
        }
        Runnable rollBackOptimizer = optimizer.rollbackPoint();
        optimizer.step(update);
        try {
            Map<String, Tensor> updated = new LinkedHashMap<>();
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                updated.put(e.getKey(), e.getValue().value());
            }
            NonFiniteException.checkAll("the updated weight ", updated);
        } catch (NonFiniteException e) {
            int i = 0;
            for (Parameter p : params.values()) {
                p.set(before.get(i++));
            }
            rollBackOptimizer.run();
            throw e;
        }
    }

    private static List<Tensor> bufferValues(Module module) {
        List<Tensor> values = new ArrayList<>();
        for (Buffer b : module.namedBuffers().values()) {
            values.add(b.value());
        }
        return values;
    }

    private static void restoreBuffers(Module module, List<Tensor> values) {
        int i = 0;
        for (Buffer b : module.namedBuffers().values()) {
            b.set(values.get(i++));
        }
    }
}
