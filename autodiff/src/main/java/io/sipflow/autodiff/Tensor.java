package io.sipflow.autodiff;

import io.sipflow.autodiff.ops.BinaryOps;
import io.sipflow.autodiff.ops.CastOps;
import io.sipflow.autodiff.ops.CompareOps;
import io.sipflow.autodiff.ops.LinalgOps;
import io.sipflow.autodiff.ops.ReduceOps;
import io.sipflow.autodiff.ops.ShapeOps;
import io.sipflow.autodiff.ops.UnaryOps;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * An immutable n-dimensional array of FLOAT32 or FLOAT64 values, row-major, that remembers how it was computed.
 *
 * <p>Every op returns a new tensor. When an input takes part in differentiation (it is a {@link #variable()} or
 * was computed from one), the result records a graph node: the op's name, its inputs and its vector-Jacobian
 * product. {@link Autodiff#grad} walks those nodes backwards. Gradients are returned, never stored here.
 *
 * <p>The instance methods are a fluent front for the op families in {@code io.sipflow.autodiff.ops}, where each
 * op's forward and VJP stand side by side.
 *
 * <p>Values live in a host array, or on a device when a backend keeps them there ({@link #onDevice},
 * {@link DeviceValues}); the first host read ({@link #floatData()}, {@link #getFlat}, printing, a host-only op)
 * copies them over once, and the tensor keeps the copy. Either way the values never change.
 */
public final class Tensor {
    private final Shape shape;
    private final DType dtype;
    private final Storage storage;  // host array and/or device copy of the values, shared by views
    private final Node node;        // how this tensor was computed, or null
    private final boolean variable; // a leaf that gradients are taken with respect to

    private Tensor(Shape shape, DType dtype, Storage storage, Node node, boolean variable) {
        this.shape = shape;
        this.dtype = dtype;
        this.storage = storage;
        this.node = node;
        this.variable = variable;
    }

    // ---------------------------------------------------------------- factories

    /**
     * Wraps {@code data} without copying; the caller hands the array over and must not change it afterwards.
     * This is how kernels return results.
     */
    public static Tensor wrap(Shape shape, float[] data) {
        checkLength(shape, data.length);
        return new Tensor(shape, DType.FLOAT32, new Storage(data, null, null), null, false);
    }

    /** As {@link #wrap(Shape, float[])}, for FLOAT64. */
    public static Tensor wrap(Shape shape, double[] data) {
        checkLength(shape, data.length);
        return new Tensor(shape, DType.FLOAT64, new Storage(null, data, null), null, false);
    }

    /**
     * A tensor whose values a backend holds on a device ({@link DeviceValues}); they are copied to the host only
     * when something reads them ({@link #floatData()}, {@link #getFlat}, printing, ...). For backends.
     */
    public static Tensor onDevice(Shape shape, DeviceValues values) {
        checkLength(shape, values.size());
        return new Tensor(shape, values.dtype(), new Storage(null, null, values), null, false);
    }

    /** A tensor of the given shape holding a copy of {@code values}, in the default type (see {@link Precision}). */
    public static Tensor of(Shape shape, double... values) {
        return of(Precision.defaultType(), shape, values);
    }

    /** A tensor of the given type and shape holding a copy of {@code values}. */
    public static Tensor of(DType dtype, Shape shape, double... values) {
        checkLength(shape, values.length);
        if (dtype == DType.FLOAT64) {
            return wrap(shape, values.clone());
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return wrap(shape, f);
    }

    /**
     * A FLOAT32 tensor holding a copy of {@code values}. (Not an overload of {@code of}: with int literals Java
     * would pick the float version and silently make FLOAT32 tensors.)
     */
    public static Tensor ofFloats(Shape shape, float... values) {
        checkLength(shape, values.length);
        return wrap(shape, values.clone());
    }

    /** A rank-1 tensor in the default type. */
    public static Tensor vector(double... values) {
        return of(Shape.of(values.length), values);
    }

    /** A rank-2 tensor in the default type from rows of equal length. */
    public static Tensor matrix(double[]... rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] flat = new double[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new IllegalArgumentException("Tensor.matrix: row " + r + " has " + rows[r].length
                        + " values, row 0 has " + cols);
            }
            System.arraycopy(rows[r], 0, flat, r * cols, cols);
        }
        return of(Shape.of(rows.length, cols), flat);
    }

    /** A rank-0 tensor in the default type. */
    public static Tensor scalar(double value) {
        return full(Shape.scalar(), value);
    }

    public static Tensor zeros(int... dims) {
        return full(Shape.of(dims), 0.0);
    }

    public static Tensor ones(int... dims) {
        return full(Shape.of(dims), 1.0);
    }

    public static Tensor full(Shape shape, double value) {
        return full(Precision.defaultType(), shape, value);
    }

    public static Tensor full(DType dtype, Shape shape, double value) {
        if (dtype == DType.FLOAT64) {
            double[] d = new double[shape.size()];
            Arrays.fill(d, value);
            return wrap(shape, d);
        }
        float[] f = new float[shape.size()];
        Arrays.fill(f, (float) value);
        return wrap(shape, f);
    }

    /** Uniform values in [0, 1) from {@code rng}, in the default type. */
    public static Tensor rand(SplittableRandom rng, int... dims) {
        Shape s = Shape.of(dims);
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextDouble();
        }
        return of(s, v);
    }

    /** Standard normal values from {@code rng} (Box–Muller), in the default type. */
    public static Tensor randn(SplittableRandom rng, int... dims) {
        Shape s = Shape.of(dims);
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i += 2) {
            double u1 = 1.0 - rng.nextDouble(); // in (0, 1], so log is finite
            double u2 = rng.nextDouble();
            double r = Math.sqrt(-2.0 * Math.log(u1));
            v[i] = r * Math.cos(2 * Math.PI * u2);
            if (i + 1 < v.length) {
                v[i + 1] = r * Math.sin(2 * Math.PI * u2);
            }
        }
        return of(s, v);
    }

    private static void checkLength(Shape shape, int length) {
        if (shape.size() != length) {
            throw new IllegalArgumentException("shape " + shape + " needs " + shape.size()
                    + " values, got " + length);
        }
    }

    // ---------------------------------------------------------------- identity and data

    public Shape shape() {
        return shape;
    }

    public DType dtype() {
        return dtype;
    }

    public int size() {
        return shape.size();
    }

    public int rank() {
        return shape.rank();
    }

    /** Size of axis {@code axis} (negative counts from the end). */
    public int dim(int axis) {
        return shape.dim(axis);
    }

    /**
     * The backing array of a FLOAT32 tensor, shared, not copied: for kernels. Never write into it — tensors
     * are values, and other tensors may share the array.
     */
    public float[] floatData() {
        float[] floats = storage.floats();
        if (floats == null) {
            throw new IllegalStateException("floatData() on a " + dtype + " tensor of shape " + shape
                    + "; use doubleData() or to(DType.FLOAT32)");
        }
        return floats;
    }

    /** The backing array of a FLOAT64 tensor, shared (see {@link #floatData()}). */
    public double[] doubleData() {
        double[] doubles = storage.doubles();
        if (doubles == null) {
            throw new IllegalStateException("doubleData() on a " + dtype + " tensor of shape " + shape
                    + "; use floatData() or to(DType.FLOAT64)");
        }
        return doubles;
    }

    /** Element at flat (row-major) index {@code i}, widened to double. */
    public double getFlat(int i) {
        return dtype == DType.FLOAT32 ? storage.floats()[i] : storage.doubles()[i];
    }

    /**
     * The device copy of the values, or null while they live only on the host. A backend compares
     * {@link DeviceValues#holder()} (or the object's class) with itself to decide whether it can use it as is.
     */
    public DeviceValues deviceValues() {
        return storage.device();
    }

    /** False while the values live only on a device (no host copy made yet); reading them makes one. */
    public boolean isOnHost() {
        return storage.onHost();
    }

    /**
     * Records {@code copy} as this host tensor's device mirror (same values, uploaded by a backend), so later ops
     * on that backend need not upload it again. Values never change; views of this tensor share the mirror.
     */
    public void mirrorOnDevice(DeviceValues copy) {
        if (copy.dtype() != dtype || copy.size() != size()) {
            throw new IllegalArgumentException("mirrorOnDevice: a " + copy.dtype() + " copy of " + copy.size()
                    + " values for a " + dtype + " tensor of shape " + shape);
        }
        storage.mirror(copy);
    }

    /** The same values (shared, wherever they live) in another shape of equal size, as a constant. */
    public Tensor viewAs(Shape newShape) {
        checkLength(newShape, size());
        return new Tensor(newShape, dtype, storage, null, false);
    }

    /** Element at the given multi-index, widened to double. */
    public double get(int... index) {
        if (index.length != shape.rank()) {
            throw new IllegalArgumentException("get: index of rank " + index.length + " for shape " + shape);
        }
        int[] strides = shape.strides();
        int flat = 0;
        for (int i = 0; i < index.length; i++) {
            int d = shape.dim(i);
            if (index[i] < 0 || index[i] >= d) {
                throw new IndexOutOfBoundsException("get: index " + Arrays.toString(index) + " outside " + shape);
            }
            flat += index[i] * strides[i];
        }
        return getFlat(flat);
    }

    /** The value of a one-element tensor. */
    public double item() {
        if (size() != 1) {
            throw new IllegalStateException("item() needs exactly one element; shape is " + shape);
        }
        return getFlat(0);
    }

    /** A fresh copy of all values as doubles. */
    public double[] toDoubleArray() {
        double[] doubles = storage.doubles();
        float[] floats = storage.floats();
        if (doubles != null) {
            return doubles.clone();
        }
        double[] d = new double[floats.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = floats[i];
        }
        return d;
    }

    /** A fresh copy of all values as floats (rounded if FLOAT64). */
    public float[] toFloatArray() {
        float[] floats = storage.floats();
        double[] doubles = storage.doubles();
        if (floats != null) {
            return floats.clone();
        }
        float[] f = new float[doubles.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) doubles[i];
        }
        return f;
    }

    // ---------------------------------------------------------------- graph

    /**
     * The same values as a leaf that gradients can be taken with respect to. Shares storage; cuts any history.
     */
    public Tensor variable() {
        return new Tensor(shape, dtype, storage, null, true);
    }

    /**
     * The same values as a constant: no history, not a variable, invisible to the graph. Prefer
     * {@link #stopGradient()}, which shows in {@link Graph#toDot}; this is for kernels and optimizers.
     */
    public Tensor constant() {
        return node == null && !variable ? this : new Tensor(shape, dtype, storage, null, false);
    }

    /** True for variables and for everything computed from one (outside {@link Autodiff#noGrad}). */
    public boolean requiresGrad() {
        return variable || node != null;
    }

    /** True for a tensor made by {@link #variable()}. */
    public boolean isVariable() {
        return variable;
    }

    /** How this tensor was computed, or null for a leaf or a constant. */
    public Node node() {
        return node;
    }

    /** This tensor's values with a graph node attached; used by {@link Graph#record}. */
    Tensor withNode(Node n) {
        return new Tensor(shape, dtype, storage, n, false);
    }

    /** Same values, no gradient flows back (a recorded identity whose VJP is zero). Alias of {@link #detach()}. */
    public Tensor stopGradient() {
        return CastOps.stopGradient(this);
    }

    /** Alias of {@link #stopGradient()}. */
    public Tensor detach() {
        return CastOps.stopGradient(this);
    }

    // ---------------------------------------------------------------- fluent ops (see io.sipflow.autodiff.ops)

    public Tensor add(Tensor b) { return BinaryOps.add(this, b); }
    public Tensor sub(Tensor b) { return BinaryOps.sub(this, b); }
    public Tensor mul(Tensor b) { return BinaryOps.mul(this, b); }
    public Tensor div(Tensor b) { return BinaryOps.div(this, b); }
    public Tensor add(double b) { return BinaryOps.add(this, constantLike(b)); }
    public Tensor sub(double b) { return BinaryOps.sub(this, constantLike(b)); }
    public Tensor mul(double b) { return BinaryOps.mul(this, constantLike(b)); }
    public Tensor div(double b) { return BinaryOps.div(this, constantLike(b)); }
    public Tensor maximum(Tensor b) { return BinaryOps.maximum(this, b); }
    public Tensor minimum(Tensor b) { return BinaryOps.minimum(this, b); }
    public Tensor pow(Tensor b) { return BinaryOps.pow(this, b); }

    public Tensor neg() { return UnaryOps.neg(this); }
    public Tensor exp() { return UnaryOps.exp(this); }
    public Tensor log() { return UnaryOps.log(this); }
    public Tensor sqrt() { return UnaryOps.sqrt(this); }
    public Tensor abs() { return UnaryOps.abs(this); }
    public Tensor square() { return UnaryOps.square(this); }
    public Tensor sign() { return UnaryOps.sign(this); }
    public Tensor relu() { return UnaryOps.relu(this); }
    public Tensor pow(double exponent) { return UnaryOps.pow(this, exponent); }
    public Tensor clip(double lo, double hi) { return UnaryOps.clip(this, lo, hi); }

    public Tensor gt(Tensor b) { return CompareOps.greater(this, b); }
    public Tensor lt(Tensor b) { return CompareOps.less(this, b); }
    public Tensor ge(Tensor b) { return CompareOps.greaterEqual(this, b); }
    public Tensor le(Tensor b) { return CompareOps.lessEqual(this, b); }
    public Tensor eq(Tensor b) { return CompareOps.equal(this, b); }

    /** Sum of all elements (rank 0). */
    public Tensor sum() { return ReduceOps.sum(this); }
    public Tensor sum(int[] axes, boolean keepDims) { return ReduceOps.sum(this, axes, keepDims); }
    public Tensor mean() { return ReduceOps.mean(this); }
    public Tensor mean(int[] axes, boolean keepDims) { return ReduceOps.mean(this, axes, keepDims); }
    public Tensor max() { return ReduceOps.max(this); }
    public Tensor max(int[] axes, boolean keepDims) { return ReduceOps.max(this, axes, keepDims); }

    /** New dims, same values; one dim may be −1. */
    public Tensor reshape(int... dims) { return ShapeOps.reshape(this, dims); }
    public Tensor reshape(Shape s) { return ShapeOps.reshape(this, s); }
    public Tensor permute(int... axes) { return ShapeOps.permute(this, axes); }
    /** Swaps the last two axes. */
    public Tensor transpose() { return ShapeOps.transpose(this); }
    public Tensor slice(int axis, int start, int end) { return ShapeOps.slice(this, axis, start, end); }
    public Tensor broadcastTo(Shape s) { return ShapeOps.broadcastTo(this, s); }
    public Tensor expand(int... dims) { return ShapeOps.broadcastTo(this, Shape.of(dims)); }
    public Tensor matmul(Tensor b) { return LinalgOps.matmul(this, b); }

    /** This tensor in another type; the VJP casts the gradient back. A no-op (same tensor) if already {@code d}. */
    public Tensor to(DType d) { return CastOps.to(this, d); }

    /** A constant of this tensor's type with value {@code v} (rank 0). */
    private Tensor constantLike(double v) {
        return full(dtype, Shape.scalar(), v);
    }

    // ---------------------------------------------------------------- printing

    /** DJL style: {@code Tensor(2, 3) float32 [1.0, 2.0, 3.0, ...] grad_fn=mul}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(shape).append(' ').append(dtype).append(" [");
        int n = Math.min(size(), 6);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append(formatValue(getFlat(i)));
        }
        if (size() > n) {
            sb.append(", ... (").append(size()).append(" values)");
        }
        sb.append(']');
        if (node != null) {
            sb.append(" grad_fn=").append(node.op());
        } else if (variable) {
            sb.append(" variable");
        }
        return sb.toString();
    }

    private String formatValue(double v) {
        return dtype == DType.FLOAT32 ? Float.toString((float) v) : Double.toString(v);
    }
}
