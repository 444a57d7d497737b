package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.Shape;

/**
 * Index arithmetic for reading an input as if it had been broadcast to a larger shape: axes of size 1 (or
 * missing leading axes) get stride 0.
 */
final class Broadcasting {
    private Broadcasting() {
    }

    /** Strides of {@code in} aligned to {@code out}'s axes, 0 where {@code in} is broadcast. */
    static int[] stridesFor(Shape in, Shape out) {
        int r = out.rank();
        int[] inStrides = in.strides();
        int[] s = new int[r];
        for (int i = 0; i < r; i++) {
            int j = i - (r - in.rank());
            s[i] = j < 0 || in.dim(j) == 1 ? 0 : inStrides[j];
        }
        return s;
    }

    /** Offset into the input of the first element of output row {@code row} (all axes but the last). */
    static int rowOffset(int row, int[] outDims, int[] strides) {
        int off = 0;
        for (int axis = outDims.length - 2; axis >= 0; axis--) {
            int d = outDims[axis];
            off += (row % d) * strides[axis];
            row /= d;
        }
        return off;
    }
}
