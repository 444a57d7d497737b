package io.sipflow.nn;

import io.sipflow.autodiff.BufferScope;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

/**
 * A named, non-trainable tensor a module keeps between calls (batch norm's running statistics). Saved in
 * checkpoints with the parameters, never handed to an optimizer; its value is a constant.
 */
public final class Buffer {
    private String name;
    private Tensor value;

    Buffer(String name, Tensor initial) {
        this.name = name;
        this.value = initial.constant();
    }

    /** {@return the dotted path from the root module, e.g. {@code inc.norm1.running_mean}} */
    public String name() {
        return name;
    }

    /** {@return the current value, a constant} */
    public Tensor value() {
        return value;
    }

    /** {@return the value's shape, fixed for the buffer's life} */
    public Shape shape() {
        return value.shape();
    }

    /** {@return the value's type, fixed for the buffer's life} */
    public DType dtype() {
        return value.dtype();
    }

    /**
     * Replaces the value by {@code next} (same shape and type), kept as a constant.
     *
     * @param next the new value
     * @throws IllegalArgumentException if its shape or type differs, naming the buffer
     */
    public void set(Tensor next) {
        if (!next.shape().equals(value.shape()) || next.dtype() != value.dtype()) {
            throw new IllegalArgumentException("buffer " + name + " is " + value.shape() + " " + value.dtype()
                    + "; cannot set it to " + next.shape() + " " + next.dtype());
        }
        value = next.constant();
        BufferScope.keepInOpenScopes(value); // state outlives a scope its caller opened around the call
    }

    void prefix(String parent) {
        name = parent + "." + name;
    }

    /** {@return {@code Buffer NAME SHAPE DTYPE}} */
    @Override
    public String toString() {
        return "Buffer " + name + " " + value.shape() + " " + value.dtype();
    }
}
