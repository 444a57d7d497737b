package io.sipflow.nn;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

import java.util.List;
import java.util.Map;

/** Per-parameter moment arrays of an optimizer, as named tensors for checkpoints. */
final class OptimizerState {
    private OptimizerState() {
    }

    /**
     * Adds {@code prefix.<parameter name>} → moments[i], in the parameter's shape, as FLOAT64: optimizers keep
     * their moments in double, and a resumed run must continue from exactly the same numbers.
     */
    static void put(Map<String, Tensor> out, String prefix, List<Parameter> params, double[][] moments) {
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            out.put(prefix + "." + p.name(), Tensor.of(DType.FLOAT64, p.shape(), moments[i]));
        }
    }

    /** Reads back what {@link #put} wrote into {@code moments}, checking names and shapes. */
    static void get(Map<String, Tensor> in, String prefix, List<Parameter> params, double[][] moments) {
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            Tensor t = require(in, prefix + "." + p.name(), p.shape());
            moments[i] = t.toDoubleArray();
        }
    }

    static Tensor require(Map<String, Tensor> in, String name, Shape shape) {
        Tensor t = in.get(name);
        if (t == null) {
            throw new IllegalArgumentException("optimizer state has no entry " + name);
        }
        if (!t.shape().equals(shape)) {
            throw new IllegalArgumentException("optimizer state " + name + " has shape " + t.shape() + ", expected "
                    + shape);
        }
        return t;
    }

    static Tensor scalar(double v) {
        return Tensor.of(DType.FLOAT64, Shape.scalar(), v);
    }
}
