package io.sipflow.autodiff;

import java.util.List;

/** One recorded op in the graph: its name, its inputs and its vector-Jacobian product. */
public final class Node {
    private final String op;
    private final Tensor[] inputs;
    private final Vjp vjp;

    Node(String op, Tensor[] inputs, Vjp vjp) {
        this.op = op;
        this.inputs = inputs;
        this.vjp = vjp;
    }

    public String op() {
        return op;
    }

    public List<Tensor> inputs() {
        return List.of(inputs);
    }

    Tensor[] inputArray() {
        return inputs;
    }

    Vjp vjp() {
        return vjp;
    }
}
