package io.sipflow.autodiff;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gradients {@link Autodiff#grad} returned, looked up by the tensor they belong to (by identity, not value).
 * Each gradient has its tensor's shape and type.
 */
public final class Gradients {
    private final Map<Tensor, Tensor> byTensor;
    private final List<Tensor> inputs;

    Gradients(List<Tensor> inputs, Map<Tensor, Tensor> byTensor) {
        this.inputs = List.copyOf(inputs);
        this.byTensor = Collections.unmodifiableMap(new IdentityHashMap<>(byTensor));
    }

    /**
     * Gradients that were computed some other way (an optimizer's direction, a per-example Jacobian solve), keyed
     * like {@link Autodiff#grad}'s: {@code values.get(i)} belongs to {@code inputs.get(i)} and must have its shape.
     *
     * @param inputs the tensors the gradients belong to (looked up by identity)
     * @param values one gradient per input, in the same order
     * @return the gradients
     * @throws IllegalArgumentException if the lists differ in length or a value's shape differs from its input's
     */
    public static Gradients of(List<Tensor> inputs, List<Tensor> values) {
        if (inputs.size() != values.size()) {
            throw new IllegalArgumentException("Gradients.of: " + inputs.size() + " inputs but " + values.size()
                    + " values");
        }
        Map<Tensor, Tensor> byTensor = new IdentityHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            if (!inputs.get(i).shape().equals(values.get(i).shape())) {
                throw new IllegalArgumentException("Gradients.of: value " + i + " has shape " + values.get(i).shape()
                        + " but its input has shape " + inputs.get(i).shape());
            }
            byTensor.put(inputs.get(i), values.get(i));
        }
        return new Gradients(inputs, byTensor);
    }

    /**
     * The gradient with respect to {@code t}, which must be one of the tensors passed to {@code grad}.
     *
     * @param t the input, the same object (not an equal tensor)
     * @return its gradient, of its shape and type
     * @throws IllegalArgumentException if no gradient was computed for {@code t}
     */
    public Tensor get(Tensor t) {
        Tensor g = byTensor.get(t);
        if (g == null) {
            throw new IllegalArgumentException("no gradient was computed for " + t
                    + ": pass it to Autodiff.grad as an input");
        }
        return g;
    }

    /**
     * The gradient of the {@code i}-th input, in the order passed to {@code grad}.
     *
     * @param i an index in {@code [0, size())}
     * @return that input's gradient
     * @throws IndexOutOfBoundsException if {@code i} is out of range
     */
    public Tensor get(int i) {
        return get(inputs.get(i));
    }

    /** {@return the gradients in input order} */
    public List<Tensor> asList() {
        List<Tensor> out = new ArrayList<>(inputs.size());
        for (Tensor t : inputs) {
            out.add(byTensor.get(t));
        }
        return out;
    }

    /** {@return the number of inputs, one gradient each} */
    public int size() {
        return inputs.size();
    }
}
