package io.sipflow.autodiff;

import java.util.Arrays;

/**
 * The dimensions of a tensor, row-major (the last axis is contiguous). Images are NCHW.
 * Immutable; negative axis indices count from the end, as in NumPy.
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(new int[0]);

    private final int[] dims;
    private final int size;

    private Shape(int[] dims) {
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension " + d + " in shape " + Arrays.toString(dims));
            }
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has " + n
                    + " elements; at most " + Integer.MAX_VALUE + " fit in one Java array");
        }
        this.dims = dims;
        this.size = (int) n;
    }

    /**
     * A shape from its dimensions; {@code Shape.of()} is the scalar shape.
     *
     * @param dims the dimensions, each ≥ 0 (copied)
     * @return the shape
     * @throws IllegalArgumentException if a dimension is negative or the element count exceeds
     *         {@code Integer.MAX_VALUE}
     */
    public static Shape of(int... dims) {
        return dims.length == 0 ? SCALAR : new Shape(dims.clone());
    }

    /** {@return the rank-0 shape {@code ()}, which has one element} */
    public static Shape scalar() {
        return SCALAR;
    }

    /** {@return the number of axes} */
    public int rank() {
        return dims.length;
    }

    /**
     * Size of axis {@code axis}; negative values count from the end.
     *
     * @param axis an axis in {@code [-rank, rank)}
     * @return its length
     * @throws IllegalArgumentException if the axis is out of range
     */
    public int dim(int axis) {
        return dims[normalizeAxis(axis)];
    }

    /** {@return the number of elements, the product of the dimensions} */
    public int size() {
        return size;
    }

    /** {@return a copy of the dimensions} */
    public int[] dims() {
        return dims.clone();
    }

    /** {@return row-major strides in elements: stride[i] = product of the dims after i} */
    public int[] strides() {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    /**
     * Maps a possibly negative axis to 0..rank-1.
     *
     * @param axis an axis in {@code [-rank, rank)}
     * @return {@code axis}, plus rank if negative
     * @throws IllegalArgumentException if the axis is out of range, naming the axis and this shape
     */
    public int normalizeAxis(int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for shape " + this);
        }
        return a;
    }

    /**
     * This shape with axis {@code axis} replaced by {@code size}.
     *
     * @param axis an axis in {@code [-rank, rank)}
     * @param size the new length, ≥ 0
     * @return the new shape
     * @throws IllegalArgumentException if the axis is out of range or the size negative
     */
    public Shape withDim(int axis, int size) {
        int[] d = dims.clone();
        d[normalizeAxis(axis)] = size;
        return new Shape(d);
    }

    /**
     * NumPy broadcasting: align trailing axes; each pair must be equal or contain a 1, e.g. (4, 1, 3) and (5, 1)
     * give (4, 5, 3).
     *
     * @param op named in the error message when the shapes do not broadcast
     * @param a one shape
     * @param b the other
     * @return the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast, naming op, shapes and the axis
     */
    public static Shape broadcast(String op, Shape a, Shape b) {
        if (a.equals(b)) {
            return a;
        }
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dims[i - (rank - a.rank())];
            int db = i < rank - b.rank() ? 1 : b.dims[i - (rank - b.rank())];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + a + " and " + b
                        + " do not broadcast (axis " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** NumPy style: (2, 3), (5,), (). */
    @Override
    public String toString() {
        if (dims.length == 1) {
            return "(" + dims[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(dims[i]);
        }
        return sb.append(')').toString();
    }
}
