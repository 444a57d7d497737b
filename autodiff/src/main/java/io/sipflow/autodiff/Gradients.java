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

    /** The gradient with respect to {@code t}, which must be one of the tensors passed to {@code grad}. */
    public Tensor get(Tensor t) {
        Tensor g = byTensor.get(t);
        if (g == null) {
            throw new IllegalArgumentException("no gradient was computed for " + t
                    + ": pass it to Autodiff.grad as an input");
        }
        return g;
    }

    /** The gradient of the {@code i}-th input, in the order passed to {@code grad}. */
    public Tensor get(int i) {
        return get(inputs.get(i));
    }

    /** The gradients in input order. */
    public List<Tensor> asList() {
        List<Tensor> out = new ArrayList<>(inputs.size());
        for (Tensor t : inputs) {
            out.add(byTensor.get(t));
        }
        return out;
    }

    public int size() {
        return inputs.size();
    }
}
