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
    /**
     * Applies one update to every parameter.
     *
     * @param gradients a gradient (or update direction) for each parameter's current value
     * @throws IllegalArgumentException if a parameter has no gradient in {@code gradients}, naming it
     */
    void step(Gradients gradients);

    /** {@return the parameters this optimizer updates, in order} */
    List<Parameter> parameters();

    /** {@return the number of steps taken so far (restored by {@link #loadState})} */
    long steps();

    /**
     * The optimizer's state by name, for checkpoints: the step count and the moment estimates keyed by parameter
     * name (e.g. {@code adam.t}, {@code adam.m.linear0.weight}).
     *
     * @return host copies of the state, in a stable order
     */
    Map<String, Tensor> state();

    /**
     * Restores what {@link #state()} returned; names, shapes and types must match.
     *
     * @param state a map {@link #state()} produced for the same parameters
     * @throws IllegalArgumentException if an entry is missing or has the wrong shape, naming it
     */
    void loadState(Map<String, Tensor> state);

    /**
     * A way back to the state before the next {@link #step}: running the result restores it. A training step takes
     * one before every update so that a non-finite update changes nothing. The default goes through
     * {@link #state()}; an optimizer whose state is immutable tensors can keep references instead, which moves no
     * data (tensors resident on a device stay there).
     *
     * @return restores this optimizer's state (not the parameters) as it is now
     */
    default Runnable rollbackPoint() {
        Map<String, Tensor> before = state();
        return () -> loadState(before);
    }

    /**
     * The gradient of {@code p} in {@code g}, with an error naming the parameter if it is missing.
     *
     * @param optimizer the optimizer's name for the message ("Adam")
     * @param p the parameter
     * @param g the gradients passed to {@link #step}
     * @return the gradient of p's current value
     * @throws IllegalArgumentException if g has none, naming the parameter and how to take gradients
     */
    static Tensor gradientOf(String optimizer, Parameter p, Gradients g) {
        try {
            return g.get(p.value());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(optimizer + ".step: no gradient for parameter " + p.name()
                    + "; take gradients after the last step with Autodiff.grad(loss, net.parameterValues())", e);
        }
    }
}
