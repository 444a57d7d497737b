package io.sipflow.nn;

import io.sipflow.autodiff.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer or network: {@code forward} plus ordered, named parameters, buffers and child modules.
 * <pre>{@code
 * Module net = new MLP(new MLP.Config(2, 1, List.of(8), Activation.RELU), 42);
 * long count = net.parameterCount();               // → 33
 * String names = String.join(" ", net.namedParameters().keySet());
 * // → linear0.weight linear0.bias linear1.weight linear1.bias
 * Tensor y = net.forward(Tensor.matrix(new double[] {0.5, -1}, new double[] {2, 3}));   // (2, 2) → (2, 1)
 * Gradients g = Autodiff.grad(y.square().mean(), net.parameterValues());
 * Tensor dw = g.get(net.parameters().get(0).value());
 * Shape shape = dw.shape();                        // → (8, 2)
 * }</pre>
 * 33 = 2·8 weights + 8 biases + 8·1 weights + 1 bias.
 *
 * <p>Names are dotted paths as in PyTorch's state dict ({@code inc.conv1.weight}); order is registration order,
 * a module's own entries before its children's. Subclasses register everything in their constructor, children
 * after they are fully built (a child's names get the parent's prefix when it is added).
 *
 * <p>A module starts in training mode; {@link #eval()} switches it and all its children to inference mode
 * (batch norm then uses its running statistics).
 */
public abstract class Module {
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Buffer> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;
    private boolean attached;

    /**
     * The module's output for input {@code x}, recorded for differentiation with respect to the parameters.
     *
     * @param x the input; each module documents the shape it takes (e.g. (B, in) for {@link Linear}, NCHW for
     *        {@link Conv2d})
     * @return the output
     * @throws IllegalArgumentException if x's shape does not fit the module, naming both
     */
    public abstract Tensor forward(Tensor x);

    /**
     * Registers a trainable parameter.
     *
     * @param name a local name, non-empty and without dots
     * @param initial the initial value (its history is cut; it becomes a variable)
     * @return the parameter, to keep in a field
     * @throws IllegalArgumentException if the name is empty, has a dot, or is already taken in this module
     */
    protected final Parameter addParameter(String name, Tensor initial) {
        Parameter p = new Parameter(name, initial);
        putNew(parameters, name, p);
        return p;
    }

    /**
     * Registers a non-trainable buffer (saved in checkpoints, never optimised).
     *
     * @param name a local name, non-empty and without dots
     * @param initial the initial value (kept as a constant)
     * @return the buffer, to keep in a field
     * @throws IllegalArgumentException if the name is empty, has a dot, or is already taken in this module
     */
    protected final Buffer addBuffer(String name, Tensor initial) {
        Buffer b = new Buffer(name, initial);
        putNew(buffers, name, b);
        return b;
    }

    /**
     * Registers {@code child} under {@code name}; its parameters and buffers become {@code name.…}, and it takes this
     * module's training mode.
     *
     * @param <M> the child's type
     * @param name a local name, non-empty and without dots
     * @param child a fully built module that belongs to no other module
     * @return {@code child}, to keep in a field
     * @throws IllegalArgumentException if the name is invalid or taken, or the child is already part of a module
     */
    protected final <M extends Module> M addModule(String name, M child) {
        Module m = child;
        if (m.attached) {
            throw new IllegalArgumentException("module " + name + " is already part of another module");
        }
        putNew(children, name, child);
        m.attached = true;
        m.setTraining(training);
        for (Parameter p : child.parameters()) {
            p.prefix(name);
        }
        for (Buffer b : child.namedBuffers().values()) {
            b.prefix(name);
        }
        return child;
    }

    private <T> void putNew(Map<String, T> map, String name, T value) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("a module entry name must be non-empty without dots, got '" + name
                    + "'");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " already has an entry '" + name + "'");
        }
        map.put(name, value);
    }

    /** {@return all trainable parameters, in registration order (own before children's)} */
    public final List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** {@return all trainable parameters by full dotted name, in order} */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect(this, out, new LinkedHashMap<>());
        return out;
    }

    /** {@return all buffers (non-trainable state) by full dotted name, in order} */
    public final Map<String, Buffer> namedBuffers() {
        Map<String, Buffer> out = new LinkedHashMap<>();
        collect(this, new LinkedHashMap<>(), out);
        return out;
    }

    private static void collect(Module m, Map<String, Parameter> ps, Map<String, Buffer> bs) {
        for (Parameter p : m.parameters.values()) {
            ps.put(p.name(), p);
        }
        for (Buffer b : m.buffers.values()) {
            bs.put(b.name(), b);
        }
        for (Module c : m.children.values()) {
            collect(c, ps, bs);
        }
    }

    /**
     * The current parameter values, in order: the inputs to differentiate with respect to,
     * {@code Gradients g = Autodiff.grad(loss, net.parameterValues())}.
     *
     * @return the values (variables), one per parameter
     */
    public final List<Tensor> parameterValues() {
        List<Tensor> out = new ArrayList<>();
        for (Parameter p : parameters()) {
            out.add(p.value());
        }
        return out;
    }

    /** {@return the number of trainable scalars, Σ over parameters of their sizes} */
    public final long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) {
            n += p.value().size();
        }
        return n;
    }

    /** {@return the direct children by local name, in order (unmodifiable)} */
    public final Map<String, Module> children() {
        return java.util.Collections.unmodifiableMap(children);
    }

    /**
     * Switches this module and its children to training mode (batch statistics).
     *
     * @return this module
     */
    public Module train() {
        setTraining(true);
        return this;
    }

    /**
     * Switches this module and its children to inference mode (running statistics).
     *
     * @return this module
     */
    public Module eval() {
        setTraining(false);
        return this;
    }

    private void setTraining(boolean on) {
        training = on;
        for (Module c : children.values()) {
            c.setTraining(on);
        }
    }

    /** {@return true in training mode (the default), false after {@link #eval()}} */
    public final boolean isTraining() {
        return training;
    }
}
