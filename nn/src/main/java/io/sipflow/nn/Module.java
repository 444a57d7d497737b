package io.sipflow.nn;

import io.sipflow.autodiff.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer or network: {@code forward} plus ordered, named parameters, buffers and child modules.
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

    /** The module's output for input {@code x}. */
    public abstract Tensor forward(Tensor x);

    protected final Parameter addParameter(String name, Tensor initial) {
        Parameter p = new Parameter(name, initial);
        putNew(parameters, name, p);
        return p;
    }

    protected final Buffer addBuffer(String name, Tensor initial) {
        Buffer b = new Buffer(name, initial);
        putNew(buffers, name, b);
        return b;
    }

    /** Registers {@code child} under {@code name}; its parameters and buffers become {@code name.…}. */
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

    /** All trainable parameters, in order. */
    public final List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** All trainable parameters by full name, in order. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect(this, out, new LinkedHashMap<>());
        return out;
    }

    /** All buffers (non-trainable state) by full name, in order. */
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
     */
    public final List<Tensor> parameterValues() {
        List<Tensor> out = new ArrayList<>();
        for (Parameter p : parameters()) {
            out.add(p.value());
        }
        return out;
    }

    /** Number of trainable scalars. */
    public final long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) {
            n += p.value().size();
        }
        return n;
    }

    /** Direct children by local name, in order. */
    public final Map<String, Module> children() {
        return java.util.Collections.unmodifiableMap(children);
    }

    /** Switches this module and its children to training mode (batch statistics). Returns this. */
    public Module train() {
        setTraining(true);
        return this;
    }

    /** Switches this module and its children to inference mode (running statistics). Returns this. */
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

    public final boolean isTraining() {
        return training;
    }
}
