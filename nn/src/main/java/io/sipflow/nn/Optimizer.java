package io.sipflow.nn;

import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their gradients:
 * <pre>
 * Gradients g = Autodiff.grad(loss, net.parameterValues());
 * optimizer.step(g);                                    // every parameter gets its next value
 * </pre>
 * Gradients are looked up by each parameter's current {@link Parameter#value()}, so they must be taken after the
 * previous step.
 */
public interface Optimizer {
    /** Applies one update to every parameter. */
    void step(Gradients gradients);

    /** The parameters this optimizer updates, in order. */
    List<Parameter> parameters();

    /** Number of steps taken so far. */
    long steps();

    /** The optimizer's state by name (moment estimates keyed by parameter name, and the step count), for checkpoints. */
    Map<String, Tensor> state();

    /** Restores what {@link #state()} returned; names, shapes and types must match. */
    void loadState(Map<String, Tensor> state);

    /**
     * A way back to the state before the next {@link #step}: running the result restores it. A training step takes
     * one before every update so that a non-finite update changes nothing. The default goes through
     * {@link #state()}; an optimizer whose state is immutable tensors can keep references instead, which moves no
     * data (tensors resident on a device stay there).
     */
    default Runnable rollbackPoint() {
        Map<String, Tensor> before = state();
        return () -> loadState(before);
    }

    /** The gradient of {@code p} in {@code g}, with an error naming the parameter if it is missing. */
    static Tensor gradientOf(String optimizer, Parameter p, Gradients g) {
        try {
            return g.get(p.value());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(optimizer + ".step: no gradient for parameter " + p.name()
                    + "; take gradients after the last step with Autodiff.grad(loss, net.parameterValues())", e);
        }
    }
}
