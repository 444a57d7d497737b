package io.sipflow.nn;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.io.Npz;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saves and restores a module's parameters and buffers (optionally an optimizer's state and the training step)
 * as a {@code .npz} file that {@code numpy.load} reads:
 * <pre>
 * inc.conv1.weight, …, inc.norm1.running_mean, …     parameters and buffers by name
 * optimizer.adam.t, optimizer.adam.m.inc.conv1.weight, …   optional optimizer state
 * step                                                 optional training step (float64 scalar)
 * state.…                                              optional extra state of a training run (metrics so far)
 * </pre>
 * Writing goes to a temporary file renamed into place. Loading checks every entry's CRC-32, name, shape and type
 * and refuses non-finite weights before changing anything, and names the first problem and the file.
 */
public final class Checkpoint {
    static final String OPTIMIZER = "optimizer.";
    static final String STEP = "step";
    static final String STATE = "state.";

    private Checkpoint() {
    }

    /**
     * Saves the module's parameters and buffers.
     *
     * @param path the {@code .npz} file, replaced atomically if it exists
     * @param module the module to save
     * @throws IOException if the file cannot be written (the old one, if any, is then unchanged)
     */
    public static void save(Path path, Module module) throws IOException {
        Npz.write(path, moduleEntries(module));
    }

    /**
     * Saves the module, the optimizer's state and the training step.
     *
     * @param path the {@code .npz} file, replaced atomically if it exists
     * @param module the module to save
     * @param optimizer the optimizer whose {@link Optimizer#state()} is saved
     * @param step the number of training steps done
     * @throws IOException if the file cannot be written
     */
    public static void save(Path path, Module module, Optimizer optimizer, long step) throws IOException {
        Map<String, Tensor> entries = moduleEntries(module);
        for (Map.Entry<String, Tensor> e : optimizer.state().entrySet()) {
            entries.put(OPTIMIZER + e.getKey(), e.getValue());
        }
        entries.put(STEP, Tensor.of(DType.FLOAT64, Shape.scalar(), step));
        Npz.write(path, entries);
    }

    /**
     * Saves the module, the optimizer's state, the training step and {@code extra} (stored as {@code state.<name>}),
     * everything a run needs to continue exactly where it was.
     *
     * @param path the {@code .npz} file, replaced atomically if it exists
     * @param module the module to save
     * @param optimizer the optimizer whose {@link Optimizer#state()} is saved
     * @param step the number of training steps done
     * @param extra further tensors by name (metrics so far)
     * @throws IOException if the file cannot be written
     */
    public static void save(Path path, Module module, Optimizer optimizer, long step, Map<String, Tensor> extra)
            throws IOException {
        Map<String, Tensor> entries = moduleEntries(module);
        for (Map.Entry<String, Tensor> e : optimizer.state().entrySet()) {
            entries.put(OPTIMIZER + e.getKey(), e.getValue());
        }
        entries.put(STEP, Tensor.of(DType.FLOAT64, Shape.scalar(), step));
        for (Map.Entry<String, Tensor> e : extra.entrySet()) {
            entries.put(STATE + e.getKey(), e.getValue());
        }
        Npz.write(path, entries);
    }

    /**
     * What {@link #restore} read besides the module and optimizer.
     *
     * @param step the saved training step
     * @param extra the extra state by name, without the {@code state.} prefix
     */
    public record Restored(long step, Map<String, Tensor> extra) {
    }

    /**
     * Loads what {@link #save(Path, Module, Optimizer, long, Map)} wrote into {@code module} and {@code optimizer}.
     *
     * @param path the {@code .npz} file
     * @param module receives the parameters and buffers
     * @param optimizer receives its state
     * @return the step and the extra state
     * @throws IOException if the file cannot be read or an entry is corrupted (CRC-32)
     * @throws IllegalArgumentException if an entry is missing, extra, of the wrong shape or type, or not finite, or
     *         the file holds no optimizer state; nothing is changed then, and the message names the file and entry
     */
    public static Restored restore(Path path, Module module, Optimizer optimizer) throws IOException {
        long step = load(path, module, optimizer);
        Map<String, Tensor> extra = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : Npz.read(path).entrySet()) {
            if (e.getKey().startsWith(STATE)) {
                extra.put(e.getKey().substring(STATE.length()), e.getValue());
            }
        }
        return new Restored(step, extra);
    }

    /**
     * Loads parameters and buffers into {@code module}.
     *
     * @param path the {@code .npz} file
     * @param module receives the parameters and buffers
     * @return the saved step, or 0 if none was saved
     * @throws IOException if the file cannot be read or an entry is corrupted (CRC-32)
     * @throws IllegalArgumentException if an entry is missing, extra, of the wrong shape or type, or not finite;
     *         the module is then unchanged
     */
    public static long load(Path path, Module module) throws IOException {
        Map<String, Tensor> file = Npz.read(path);
        apply(path, file, module);
        return step(file);
    }

    /**
     * Loads the module and the optimizer's state.
     *
     * @param path the {@code .npz} file
     * @param module receives the parameters and buffers
     * @param optimizer receives its state
     * @return the saved step, or 0 if none was saved
     * @throws IOException if the file cannot be read or an entry is corrupted (CRC-32)
     * @throws IllegalArgumentException if an entry does not fit the module or the optimizer, a weight is not finite,
     *         or the file holds no optimizer state
     */
    public static long load(Path path, Module module, Optimizer optimizer) throws IOException {
        Map<String, Tensor> file = Npz.read(path);
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : file.entrySet()) {
            if (e.getKey().startsWith(OPTIMIZER)) {
                state.put(e.getKey().substring(OPTIMIZER.length()), e.getValue());
            }
        }
        if (state.isEmpty()) {
            throw new IllegalArgumentException(path + ": holds no optimizer state (saved without an optimizer)");
        }
        apply(path, file, module);
        try {
            optimizer.loadState(state);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
        return step(file);
    }

    private static Map<String, Tensor> moduleEntries(Module module) {
        Map<String, Tensor> entries = new LinkedHashMap<>();
        module.namedParameters().forEach((name, p) -> entries.put(name, p.value()));
        module.namedBuffers().forEach((name, b) -> entries.put(name, b.value()));
        return entries;
    }

    /** Checks everything first, then sets: a mismatch leaves the module untouched. */
    private static void apply(Path path, Map<String, Tensor> file, Module module) {
        Map<String, Parameter> params = module.namedParameters();
        Map<String, Buffer> buffers = module.namedBuffers();
        params.forEach((name, p) -> check(path, file, name, p.shape(), p.dtype()));
        buffers.forEach((name, b) -> check(path, file, name, b.shape(), b.dtype()));
        for (String name : file.keySet()) {
            if (!params.containsKey(name) && !buffers.containsKey(name) && !name.startsWith(OPTIMIZER)
                    && !name.equals(STEP) && !name.startsWith(STATE)) {
                throw new IllegalArgumentException(path + ": entry '" + name + "' matches no parameter or buffer of "
                        + module.getClass().getSimpleName());
            }
        }
        refuseNonFinite(path, file, params.keySet(), buffers.keySet());
        params.forEach((name, p) -> p.set(file.get(name)));
        buffers.forEach((name, b) -> b.set(file.get(name)));
    }

    /** A model with a NaN or an infinity in its weights or buffers would score as if it were a real model. */
    private static void refuseNonFinite(Path path, Map<String, Tensor> file, java.util.Set<String> params,
                                        java.util.Set<String> buffers) {
        long count = 0;
        String first = null;
        for (String name : file.keySet()) {
            if (!params.contains(name) && !buffers.contains(name)) {
                continue;
            }
            Tensor t = file.get(name);
            for (int i = 0; i < t.size(); i++) {
                if (!Double.isFinite(t.getFlat(i))) {
                    if (first == null) {
                        first = "'" + name + "' at index " + i + " (" + t.getFlat(i) + ")";
                    }
                    count++;
                }
            }
        }
        if (count > 0) {
            throw new IllegalArgumentException(path + ": " + count + " non-finite value" + (count == 1 ? "" : "s")
                    + " in the weights, first in " + first + "; refusing to load a diverged model");
        }
    }

    private static void check(Path path, Map<String, Tensor> file, String name, Shape shape, DType dtype) {
        Tensor t = file.get(name);
        if (t == null) {
            throw new IllegalArgumentException(path + ": has no entry '" + name + "' (expected " + shape + " "
                    + dtype + ")");
        }
        if (!t.shape().equals(shape) || t.dtype() != dtype) {
            throw new IllegalArgumentException(path + ": entry '" + name + "' is " + t.shape() + " " + t.dtype()
                    + ", expected " + shape + " " + dtype);
        }
    }

    private static long step(Map<String, Tensor> file) {
        Tensor s = file.get(STEP);
        return s == null ? 0 : (long) s.item();
    }
}
