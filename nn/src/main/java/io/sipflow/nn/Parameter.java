package io.sipflow.nn;

import io.sipflow.autodiff.BufferScope;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

/**
 * A named, trainable tensor: the one mutable holder in a network. {@link #value()} is a variable, so
 * {@code Autodiff.grad(loss, net.parameterValues())} differentiates with respect to it; an optimizer computes the
 * next value and {@link #set swaps it in}. Gradients are looked up by the value tensor's identity, so take them
 * after the last update.
 */
public final class Parameter {
    private String name;
    private Tensor value;

    Parameter(String name, Tensor initial) {
        this.name = name;
        this.value = initial.constant().variable();
    }

    /** {@return the dotted path from the root module, e.g. {@code inc.conv1.weight}} */
    public String name() {
        return name;
    }

    /** {@return the current value, a variable (a leaf gradients can be taken with respect to)} */
    public Tensor value() {
        return value;
    }

    /** {@return the value's shape, fixed for the parameter's life} */
    public Shape shape() {
        return value.shape();
    }

    /** {@return the value's type, fixed for the parameter's life} */
    public DType dtype() {
        return value.dtype();
    }

    /**
     * Replaces the value by {@code next} (same shape and type), cutting any history it had.
     *
     * @param next the new value
     * @throws IllegalArgumentException if its shape or type differs, naming the parameter
     */
    public void set(Tensor next) {
        if (!next.shape().equals(value.shape()) || next.dtype() != value.dtype()) {
            throw new IllegalArgumentException("parameter " + name + " is " + value.shape() + " " + value.dtype()
                    + "; cannot set it to " + next.shape() + " " + next.dtype());
        }
        value = next.constant().variable();
        BufferScope.keepInOpenScopes(value); // state outlives a scope its caller opened around the call
    }

    void prefix(String parent) {
        name = parent + "." + name;
    }

    /** {@return {@code Parameter NAME SHAPE DTYPE}} */
    @Override
    public String toString() {
        return "Parameter " + name + " " + value.shape() + " " + value.dtype();
    }
}
