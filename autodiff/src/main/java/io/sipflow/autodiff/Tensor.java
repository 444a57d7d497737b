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
 * <pre>{@code
 * Tensor a = Tensor.matrix(new double[] {1, 2}, new double[] {3, 4});   // shape (2, 2), float64
 * Tensor b = Tensor.vector(10, 20);                    // shape (2,): broadcast against each row of a
 * Tensor rowSums = a.mul(b).sum(new int[] {1}, false); // [1·10 + 2·20, 3·10 + 4·20]
 * double first = rowSums.get(0);                       // → 50.0
 * double second = rowSums.get(1);                      // → 110.0
 * Tensor ab = a.matmul(a.transpose());                 // (2, 2) × (2, 2) → (2, 2)
 * double corner = ab.get(1, 1);                        // → 25.0
 * }</pre>
 *
 * <p>Every op returns a new tensor. When an input takes part in differentiation (it is a {@link #variable()} or
 * was computed from one), the result records a graph node: the op's name, its inputs and its vector-Jacobian
 * product. {@link Autodiff#grad} walks those nodes backwards. Gradients are returned, never stored here.
 *
 * <p>The instance methods are a fluent front for the op families in {@code io.sipflow.autodiff.ops}, where each
 * op's forward and VJP stand side by side. Binary ops broadcast as NumPy does (trailing axes aligned, each pair
 * equal or 1) and compute in the type {@link Precision#resultType(DType, DType)} names; shapes that do not
 * broadcast throw an {@link IllegalArgumentException} naming the op and both shapes.
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
     *
     * @param shape the dimensions; {@code shape.size()} must equal {@code data.length}
     * @param data the values in row-major order, now owned by the tensor
     * @return a FLOAT32 constant (not a variable, no graph node)
     * @throws IllegalArgumentException if the length does not match the shape
     */
    public static Tensor wrap(Shape shape, float[] data) {
        checkLength(shape, data.length);
        return new Tensor(shape, DType.FLOAT32, new Storage(data, null, null), null, false);
    }

    /**
     * As {@link #wrap(Shape, float[])}, for FLOAT64.
     *
     * @param shape the dimensions; {@code shape.size()} must equal {@code data.length}
     * @param data the values in row-major order, now owned by the tensor
     * @return a FLOAT64 constant
     * @throws IllegalArgumentException if the length does not match the shape
     */
    public static Tensor wrap(Shape shape, double[] data) {
        checkLength(shape, data.length);
        return new Tensor(shape, DType.FLOAT64, new Storage(null, data, null), null, false);
    }

    /**
     * A tensor whose values a backend holds on a device ({@link DeviceValues}); they are copied to the host only
     * when something reads them ({@link #floatData()}, {@link #getFlat}, printing, ...). For backends.
     *
     * @param shape the dimensions; {@code shape.size()} must equal {@code values.size()}
     * @param values the device buffer; its {@link DeviceValues#dtype()} becomes the tensor's type
     * @return a constant whose host copy is made on first read
     * @throws IllegalArgumentException if the element counts differ
     */
    public static Tensor onDevice(Shape shape, DeviceValues values) {
        checkLength(shape, values.size());
        return new Tensor(shape, values.dtype(), new Storage(null, null, values), null, false);
    }

    /**
     * A tensor of the given shape holding a copy of {@code values}, in the default type (see {@link Precision}).
     *
     * @param shape the dimensions
     * @param values {@code shape.size()} values in row-major order (copied; rounded if the default type is FLOAT32)
     * @return a new constant of type {@link Precision#defaultType()}
     * @throws IllegalArgumentException if the number of values does not match the shape
     */
    public static Tensor of(Shape shape, double... values) {
        return of(Precision.defaultType(), shape, values);
    }

    /**
     * A tensor of the given type and shape holding a copy of {@code values}.
     *
     * @param dtype the element type; FLOAT32 rounds each value to the nearest float
     * @param shape the dimensions
     * @param values {@code shape.size()} values in row-major order (copied)
     * @return a new constant
     * @throws IllegalArgumentException if the number of values does not match the shape
     */
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
     *
     * @param shape the dimensions
     * @param values {@code shape.size()} values in row-major order (copied)
     * @return a new FLOAT32 constant
     * @throws IllegalArgumentException if the number of values does not match the shape
     */
    public static Tensor ofFloats(Shape shape, float... values) {
        checkLength(shape, values.length);
        return wrap(shape, values.clone());
    }

    /**
     * A rank-1 tensor of shape {@code (values.length,)} in the default type.
     *
     * @param values the elements (copied)
     * @return a new constant
     */
    public static Tensor vector(double... values) {
        return of(Shape.of(values.length), values);
    }

    /**
     * A rank-2 tensor of shape {@code (rows.length, rows[0].length)} in the default type.
     *
     * @param rows the rows, all of equal length (copied)
     * @return a new constant
     * @throws IllegalArgumentException if a row's length differs from row 0's, naming the row
     */
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

    /**
     * A rank-0 tensor (shape {@code ()}) in the default type.
     *
     * @param value the single element
     * @return a new constant
     */
    public static Tensor scalar(double value) {
        return full(Shape.scalar(), value);
    }

    /**
     * A tensor of zeros in the default type.
     *
     * @param dims the dimensions (none for a scalar)
     * @return a new constant
     * @throws IllegalArgumentException if a dimension is negative
     */
    public static Tensor zeros(int... dims) {
        return full(Shape.of(dims), 0.0);
    }

    /**
     * A tensor of ones in the default type.
     *
     * @param dims the dimensions (none for a scalar)
     * @return a new constant
     * @throws IllegalArgumentException if a dimension is negative
     */
    public static Tensor ones(int... dims) {
        return full(Shape.of(dims), 1.0);
    }

    /**
     * A tensor with every element equal to {@code value}, in the default type.
     *
     * @param shape the dimensions
     * @param value the fill value
     * @return a new constant
     */
    public static Tensor full(Shape shape, double value) {
        return full(Precision.defaultType(), shape, value);
    }

    /**
     * A tensor of the given type with every element equal to {@code value} (rounded to float for FLOAT32).
     *
     * @param dtype the element type
     * @param shape the dimensions
     * @param value the fill value
     * @return a new constant
     */
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

    /**
     * Uniform values in [0, 1) from {@code rng}, in the default type; the same seed gives the same tensor.
     *
     * @param rng the random source, advanced by one draw per element
     * @param dims the dimensions
     * @return a new constant
     */
    public static Tensor rand(SplittableRandom rng, int... dims) {
        Shape s = Shape.of(dims);
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextDouble();
        }
        return of(s, v);
    }

    /**
     * Standard normal values (mean 0, variance 1) from {@code rng} by the Box–Muller transform, in the default type;
     * the same seed gives the same tensor.
     *
     * @param rng the random source, advanced by one draw per element (rounded up to even)
     * @param dims the dimensions
     * @return a new constant
     */
    public static Tensor randn(SplittableRandom rng, int... dims) {
        Shape s = Shape.of(dims);
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i += 2) {
            double u1 = 1.0 - rng.nextDouble(); // in (0, 1], so log is finite
            double u2 = rng.nextDouble();
            double r = Math.sqrt(-2.0 * StrictMath.log(u1));
            v[i] = r * StrictMath.cos(2 * Math.PI * u2);
            if (i + 1 < v.length) {
                v[i + 1] = r * StrictMath.sin(2 * Math.PI * u2);
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

    /** {@return the dimensions, row-major (images are (N, C, H, W))} */
    public Shape shape() {
        return shape;
    }

    /** {@return the element type, FLOAT32 or FLOAT64} */
    public DType dtype() {
        return dtype;
    }

    /** {@return the number of elements, the product of the dimensions (1 for a scalar)} */
    public int size() {
        return shape.size();
    }

    /** {@return the number of axes (0 for a scalar)} */
    public int rank() {
        return shape.rank();
    }

    /**
     * Size of axis {@code axis}.
     *
     * @param axis an axis in {@code [-rank, rank)}; negative values count from the end
     * @return the length of that axis
     * @throws IllegalArgumentException if the axis is out of range, naming it and the shape
     */
    public int dim(int axis) {
        return shape.dim(axis);
    }

    /**
     * The backing array of a FLOAT32 tensor, shared, not copied: for kernels. Never write into it — tensors
     * are values, and other tensors may share the array. Read it while the tensor is in use, and keep the tensor
     * (or a copy, {@link #toFloatArray()}) rather than the array: a finished gradient inside a backward pass and the
     * graph values of a closed {@link BufferScope} give their arrays back to {@link BufferPool} for reuse; the tensor
     * then throws on every read, but an array kept on its own would show the new values.
     *
     * @return the row-major values (copied from the device first if they live only there)
     * @throws IllegalStateException if this tensor is FLOAT64
     */
    public float[] floatData() {
        float[] floats = storage.floats();
        if (floats == null) {
            throw new IllegalStateException("floatData() on a " + dtype + " tensor of shape " + shape
                    + "; use doubleData() or to(DType.FLOAT32)");
        }
        return floats;
    }

    /**
     * The backing array of a FLOAT64 tensor, shared (see {@link #floatData()}).
     *
     * @return the row-major values (copied from the device first if they live only there)
     * @throws IllegalStateException if this tensor is FLOAT32
     */
    public double[] doubleData() {
        double[] doubles = storage.doubles();
        if (doubles == null) {
            throw new IllegalStateException("doubleData() on a " + dtype + " tensor of shape " + shape
                    + "; use floatData() or to(DType.FLOAT64)");
        }
        return doubles;
    }

    /**
     * Element at flat (row-major) index {@code i}, widened to double.
     *
     * @param i an index in {@code [0, size())}
     * @return the element
     * @throws ArrayIndexOutOfBoundsException if {@code i} is outside the tensor
     */
    public double getFlat(int i) {
        return dtype == DType.FLOAT32 ? storage.floats()[i] : storage.doubles()[i];
    }

    /**
     * The device copy of the values, or null while they live only on the host. A backend compares
     * {@link DeviceValues#holder()} (or the object's class) with itself to decide whether it can use it as is.
     *
     * @return the device buffer or mirror, or null
     */
    public DeviceValues deviceValues() {
        return storage.device();
    }

    /** {@return false while the values live only on a device (no host copy made yet); reading them makes one} */
    public boolean isOnHost() {
        return storage.onHost();
    }

    /** True when this tensor's values were stored at or after {@code serial} ({@link Storage#nextSerial()}). */
    boolean storedSince(long serial) {
        return storage.serial() >= serial;
    }

    /** True when this tensor's host array is {@code array} (views and re-wrapped arrays count). */
    boolean holdsArray(Object array) {
        return storage.hostArray() == array;
    }

    /** This tensor's host array, or null when its values are only on a device. */
    Object hostArray() {
        return storage.hostArray();
    }

    /** Gives the host array back to {@link BufferPool} if it issued it; see {@link Storage#recycle}. */
    boolean recycle(String what) {
        return storage.recycle(what);
    }

    /** Marks this tensor's values dead without giving its array back; see {@link Storage#retire}. */
    void retire(String what) {
        storage.retire(what);
    }

    /**
     * Records {@code copy} as this host tensor's device mirror (same values, uploaded by a backend), so later ops
     * on that backend need not upload it again. Values never change; views of this tensor share the mirror.
     *
     * @param copy a device buffer with this tensor's type and element count
     * @throws IllegalArgumentException if the type or element count differs
     */
    public void mirrorOnDevice(DeviceValues copy) {
        if (copy.dtype() != dtype || copy.size() != size()) {
            throw new IllegalArgumentException("mirrorOnDevice: a " + copy.dtype() + " copy of " + copy.size()
                    + " values for a " + dtype + " tensor of shape " + shape);
        }
        storage.mirror(copy);
    }

    /**
     * The same values (shared, wherever they live) in another shape of equal size, as a constant. Unlike
     * {@link #reshape(Shape)} it records nothing, so no gradient flows through it.
     *
     * @param newShape a shape with {@code size()} elements
     * @return a constant sharing this tensor's storage
     * @throws IllegalArgumentException if the element counts differ
     */
    public Tensor viewAs(Shape newShape) {
        checkLength(newShape, size());
        return new Tensor(newShape, dtype, storage, null, false);
    }

    /**
     * Element at the given multi-index, widened to double.
     *
     * @param index one index per axis, each in {@code [0, dim(axis))}
     * @return the element
     * @throws IllegalArgumentException if the number of indices is not the rank
     * @throws IndexOutOfBoundsException if an index is outside its axis
     */
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

    /**
     * The value of a one-element tensor (any rank).
     *
     * @return the only element, widened to double
     * @throws IllegalStateException if the tensor does not have exactly one element
     */
    public double item() {
        if (size() != 1) {
            throw new IllegalStateException("item() needs exactly one element; shape is " + shape);
        }
        return getFlat(0);
    }

    /** {@return a fresh row-major copy of all values as doubles} */
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

    /** {@return a fresh row-major copy of all values as floats (rounded to nearest if FLOAT64)} */
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
     *
     * @return a new variable; pass it to {@link Autodiff#grad} as an input
     */
    public Tensor variable() {
        return new Tensor(shape, dtype, storage, null, true);
    }

    /**
     * The same values as a constant: no history, not a variable, invisible to the graph. Prefer
     * {@link #stopGradient()}, which shows in {@link Graph#toDot}; this is for kernels and optimizers.
     *
     * @return this tensor if it already is a constant, else a constant sharing its storage
     */
    public Tensor constant() {
        return node == null && !variable ? this : new Tensor(shape, dtype, storage, null, false);
    }

    /** {@return true for variables and for everything computed from one (outside {@link Autodiff#noGrad})} */
    public boolean requiresGrad() {
        return variable || node != null;
    }

    /** {@return true for a tensor made by {@link #variable()}} */
    public boolean isVariable() {
        return variable;
    }

    /** {@return how this tensor was computed (op name, inputs, VJP), or null for a leaf or a constant} */
    public Node node() {
        return node;
    }

    /** This tensor's values with a graph node attached; used by {@link Graph#record}. */
    Tensor withNode(Node n) {
        return new Tensor(shape, dtype, storage, n, false);
    }

    /**
     * Same values, no gradient flows back (a recorded identity whose VJP is zero). Alias of {@link #detach()}.
     *
     * @return a tensor that shows as {@code stopGradient} in {@link Graph#toDot}
     */
    public Tensor stopGradient() {
        return CastOps.stopGradient(this);
    }

    /**
     * Alias of {@link #stopGradient()}.
     *
     * @return a tensor with the same values through which no gradient flows
     */
    public Tensor detach() {
        return CastOps.stopGradient(this);
    }

    // ---------------------------------------------------------------- fluent ops (see io.sipflow.autodiff.ops)

    /**
     * Elementwise {@code this + b}, broadcast. VJP: {@code (g, g)}, each summed back to its input's shape.
     *
     * @param b the other operand; its shape must broadcast with this one
     * @return a tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast or {@code b} is null
     */
    public Tensor add(Tensor b) { return BinaryOps.add(this, b); }
    /**
     * Elementwise {@code this − b}, broadcast. VJP: {@code (g, −g)}.
     *
     * @param b the subtrahend; its shape must broadcast with this one
     * @return a tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast or {@code b} is null
     */
    public Tensor sub(Tensor b) { return BinaryOps.sub(this, b); }
    /**
     * Elementwise (Hadamard) product {@code this · b}, broadcast; for the matrix product see {@link #matmul}.
     * VJP: {@code (g·b, g·this)}.
     *
     * @param b the other factor; its shape must broadcast with this one
     * @return a tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast or {@code b} is null
     */
    public Tensor mul(Tensor b) { return BinaryOps.mul(this, b); }
    /**
     * Elementwise {@code this / b}, broadcast (IEEE: division by zero gives ±∞ or NaN, no exception).
     * VJP: {@code (g / b, −g·this / b²)}.
     *
     * @param b the divisor; its shape must broadcast with this one
     * @return a tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast or {@code b} is null
     */
    public Tensor div(Tensor b) { return BinaryOps.div(this, b); }
    /**
     * Adds the constant {@code b} (in this tensor's type) to every element.
     *
     * @param b the summand
     * @return a tensor of this shape
     */
    public Tensor add(double b) { return BinaryOps.add(this, constantLike(b)); }
    /**
     * Subtracts the constant {@code b} (in this tensor's type) from every element.
     *
     * @param b the subtrahend
     * @return a tensor of this shape
     */
    public Tensor sub(double b) { return BinaryOps.sub(this, constantLike(b)); }
    /**
     * Multiplies every element by the constant {@code b} (in this tensor's type). VJP: {@code g·b}.
     *
     * @param b the factor
     * @return a tensor of this shape
     */
    public Tensor mul(double b) { return BinaryOps.mul(this, constantLike(b)); }
    /**
     * Divides every element by the constant {@code b} (in this tensor's type). VJP: {@code g / b}.
     *
     * @param b the divisor
     * @return a tensor of this shape
     */
    public Tensor div(double b) { return BinaryOps.div(this, constantLike(b)); }
    /**
     * Elementwise {@code max(this, b)}, broadcast. VJP: g goes to {@code this} where {@code this ≥ b}, else to b.
     *
     * @param b the other operand; its shape must broadcast with this one
     * @return a tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast or {@code b} is null
     */
    public Tensor maximum(Tensor b) { return BinaryOps.maximum(this, b); }
    /**
     * Elementwise {@code min(this, b)}, broadcast. VJP: g goes to {@code this} where {@code this ≤ b}, else to b.
     *
     * @param b the other operand; its shape must broadcast with this one
     * @return a tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast or {@code b} is null
     */
    public Tensor minimum(Tensor b) { return BinaryOps.minimum(this, b); }
    /**
     * Elementwise {@code this^b}, broadcast. VJP: {@code (g·b·this^(b−1), g·this^b·ln this)}; the second needs
     * {@code this > 0} and is computed only when {@code b} requires a gradient.
     *
     * @param b the exponent; its shape must broadcast with this one
     * @return a tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast or {@code b} is null
     */
    public Tensor pow(Tensor b) { return BinaryOps.pow(this, b); }

    /** {@return {@code −this}, elementwise; VJP {@code −g}} */
    public Tensor neg() { return UnaryOps.neg(this); }
    /** {@return {@code eˣ}, elementwise; VJP {@code g·eˣ}} */
    public Tensor exp() { return UnaryOps.exp(this); }
    /** {@return the natural logarithm {@code ln x}, elementwise (NaN below 0, −∞ at 0); VJP {@code g / x}} */
    public Tensor log() { return UnaryOps.log(this); }
    /** {@return {@code √x}, elementwise (NaN below 0); VJP {@code g / (2√x)}} */
    public Tensor sqrt() { return UnaryOps.sqrt(this); }
    /** {@return {@code |x|}, elementwise; VJP {@code g·sign(x)}, 0 at x = 0} */
    public Tensor abs() { return UnaryOps.abs(this); }
    /** {@return {@code x²}, elementwise; VJP {@code 2·g·x}} */
    public Tensor square() { return UnaryOps.square(this); }
    /** {@return {@code sign(x)} ∈ {−1, 0, 1}, elementwise; piecewise constant, so no gradient flows back} */
    public Tensor sign() { return UnaryOps.sign(this); }
    /** {@return {@code max(x, 0)}, elementwise; VJP g where x &gt; 0, else 0} */
    public Tensor relu() { return UnaryOps.relu(this); }
    /**
     * Elementwise {@code xᵖ} for a constant exponent. VJP: {@code g·p·xᵖ⁻¹}.
     *
     * @param exponent the constant p
     * @return a tensor of this shape
     */
    public Tensor pow(double exponent) { return UnaryOps.pow(this, exponent); }
    /**
     * Elementwise {@code min(max(x, lo), hi)}. VJP: g inside [lo, hi], 0 outside.
     *
     * @param lo the lower bound
     * @param hi the upper bound, at least {@code lo}
     * @return a tensor of this shape
     * @throws IllegalArgumentException if {@code lo > hi}
     */
    public Tensor clip(double lo, double hi) { return UnaryOps.clip(this, lo, hi); }

    /**
     * Mask of {@code this > b}: 1 where true, 0 where false, broadcast, in the inputs' result type; no gradient.
     *
     * @param b the right-hand side; its shape must broadcast with this one
     * @return a mask of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast
     */
    public Tensor gt(Tensor b) { return CompareOps.greater(this, b); }
    /**
     * Mask of {@code this < b}: 1 where true, 0 where false, broadcast; no gradient.
     *
     * @param b the right-hand side; its shape must broadcast with this one
     * @return a mask of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast
     */
    public Tensor lt(Tensor b) { return CompareOps.less(this, b); }
    /**
     * Mask of {@code this ≥ b}: 1 where true, 0 where false, broadcast; no gradient.
     *
     * @param b the right-hand side; its shape must broadcast with this one
     * @return a mask of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast
     */
    public Tensor ge(Tensor b) { return CompareOps.greaterEqual(this, b); }
    /**
     * Mask of {@code this ≤ b}: 1 where true, 0 where false, broadcast; no gradient.
     *
     * @param b the right-hand side; its shape must broadcast with this one
     * @return a mask of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast
     */
    public Tensor le(Tensor b) { return CompareOps.lessEqual(this, b); }
    /**
     * Mask of {@code this == b} (exact equality, NaN never equal): 1 where true, 0 where false; no gradient.
     *
     * @param b the right-hand side; its shape must broadcast with this one
     * @return a mask of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast
     */
    public Tensor eq(Tensor b) { return CompareOps.equal(this, b); }

    /** {@return the sum of all elements, shape {@code ()}; VJP: g broadcast to this shape} */
    public Tensor sum() { return ReduceOps.sum(this); }
    /**
     * Sum over {@code axes}: for a (2, 3) tensor, {@code sum(new int[] {1}, false)} has shape (2,) and
     * {@code sum(new int[] {1}, true)} shape (2, 1). VJP: g broadcast back over the reduced axes.
     *
     * @param axes distinct axes in {@code [-rank, rank)}, in any order; empty reduces nothing
     * @param keepDims keep each reduced axis with length 1 (so the result broadcasts against this tensor)
     * @return the sums
     * @throws IllegalArgumentException if an axis is out of range or repeated
     */
    public Tensor sum(int[] axes, boolean keepDims) { return ReduceOps.sum(this, axes, keepDims); }
    /** {@return the mean of all elements, shape {@code ()} (NaN for an empty tensor)} */
    public Tensor mean() { return ReduceOps.mean(this); }
    /**
     * Mean over {@code axes}: the sum divided by the number of reduced elements.
     *
     * @param axes distinct axes in {@code [-rank, rank)}
     * @param keepDims keep each reduced axis with length 1
     * @return the means
     * @throws IllegalArgumentException if an axis is out of range or repeated
     */
    public Tensor mean(int[] axes, boolean keepDims) { return ReduceOps.mean(this, axes, keepDims); }
    /**
     * The largest element, shape {@code ()}. VJP: g to the elements equal to the max, shared equally among ties.
     *
     * @return the maximum (NaN if any element is NaN)
     * @throws IllegalArgumentException if the tensor is empty
     */
    public Tensor max() { return ReduceOps.max(this); }
    /**
     * Maximum over {@code axes}. VJP: g to the elements equal to their max, shared equally among ties.
     *
     * @param axes distinct axes in {@code [-rank, rank)}
     * @param keepDims keep each reduced axis with length 1
     * @return the maxima
     * @throws IllegalArgumentException if an axis is out of range or repeated, or the tensor is empty
     */
    public Tensor max(int[] axes, boolean keepDims) { return ReduceOps.max(this, axes, keepDims); }

    /**
     * The same values in new dims with the same element count; one dim may be −1 and is then inferred, e.g. a
     * (2, 3, 4) tensor {@code reshape(2, -1)} has shape (2, 12). VJP: the gradient reshaped back.
     *
     * @param dims the new dimensions, at most one of them −1
     * @return a tensor sharing this tensor's storage (this tensor itself if the shape is unchanged)
     * @throws IllegalArgumentException if the element count differs or a dim is negative other than one −1
     */
    public Tensor reshape(int... dims) { return ShapeOps.reshape(this, dims); }
    /**
     * The same values in a new shape with the same element count. VJP: the gradient reshaped back.
     *
     * @param s the new shape, with {@code size()} elements
     * @return a tensor sharing this tensor's storage (this tensor itself if the shape is unchanged)
     * @throws IllegalArgumentException if the element count differs
     */
    public Tensor reshape(Shape s) { return ShapeOps.reshape(this, s); }
    /**
     * Reorders axes: result axis i is input axis {@code axes[i]}, so {@code permute(0, 2, 3, 1)} turns NCHW into
     * NHWC. VJP: the gradient permuted by the inverse permutation.
     *
     * @param axes a permutation of the axes (negative values count from the end)
     * @return a new tensor with the values moved
     * @throws IllegalArgumentException if {@code axes} does not list every axis exactly once
     */
    public Tensor permute(int... axes) { return ShapeOps.permute(this, axes); }
    /**
     * Swaps the last two axes: (…, m, n) becomes (…, n, m).
     *
     * @return a new tensor with the values moved
     * @throws IllegalArgumentException if the rank is below 2
     */
    public Tensor transpose() { return ShapeOps.transpose(this); }
    /**
     * Positions {@code [start, end)} of one axis, all of the others. VJP: the gradient placed back, zeros elsewhere.
     *
     * @param axis the axis to cut (negative counts from the end)
     * @param start first position kept, {@code 0 ≤ start ≤ end}
     * @param end one past the last position kept, at most {@code dim(axis)}
     * @return a tensor whose {@code axis} has length {@code end − start}
     * @throws IllegalArgumentException if the axis or the range is out of bounds
     */
    public Tensor slice(int axis, int start, int end) { return ShapeOps.slice(this, axis, start, end); }
    /**
     * Copies this tensor to a larger shape by NumPy broadcasting (size-1 and missing leading axes repeat).
     * VJP: the gradient summed back to this shape.
     *
     * @param s the target shape; broadcasting this shape against it must give {@code s} itself
     * @return a tensor of shape {@code s} (this tensor itself if the shape is unchanged)
     * @throws IllegalArgumentException if this shape cannot be broadcast to {@code s}
     */
    public Tensor broadcastTo(Shape s) { return ShapeOps.broadcastTo(this, s); }
    /**
     * As {@link #broadcastTo(Shape)} with the target given as dims.
     *
     * @param dims the target dimensions
     * @return a tensor of those dimensions
     * @throws IllegalArgumentException if this shape cannot be broadcast to them
     */
    public Tensor expand(int... dims) { return ShapeOps.broadcastTo(this, Shape.of(dims)); }
    /**
     * Batched matrix product (…, m, k) × (…, k, n) → (…, m, n); leading batch axes broadcast as in NumPy's matmul.
     * VJP: {@code (g·bᵀ, thisᵀ·g)}, each summed back over broadcast batch axes.
     *
     * @param b the right factor, rank ≥ 2, with {@code b.dim(-2) == this.dim(-1)}
     * @return the product, in the inputs' result type
     * @throws IllegalArgumentException if either rank is below 2, the inner dimensions differ or the batch axes
     *         do not broadcast
     */
    public Tensor matmul(Tensor b) { return LinalgOps.matmul(this, b); }

    /**
     * This tensor in another type; the VJP casts the gradient back. A no-op (same tensor) if already {@code d}.
     *
     * @param d the target type; FLOAT64 to FLOAT32 rounds to nearest
     * @return the converted tensor
     */
    public Tensor to(DType d) { return CastOps.to(this, d); }

    /** A constant of this tensor's type with value {@code v} (rank 0). */
    private Tensor constantLike(double v) {
        return full(dtype, Shape.scalar(), v);
    }

    // ---------------------------------------------------------------- printing

    /**
     * DJL style: {@code Tensor(2, 3) float32 [1.0, 2.0, 3.0, ...] grad_fn=mul}; at most six values are shown.
     *
     * @return the shape, type, first values and the op that made it (or {@code variable})
     */
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
