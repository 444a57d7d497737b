package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

/** Data movement on the CPU: axis permutation and broadcasting copies. Values are copied, never computed. */
final class Layout {
    private Layout() {
    }

    /** A copy of {@code t} with axes reordered: result axis i is input axis {@code axes[i]}. */
    static Tensor permute(Tensor t, int[] axes) {
        int r = t.rank();
        int[] inDims = t.shape().dims();
        int[] inStrides = t.shape().strides();
        int[] outDims = new int[r];
        int[] strides = new int[r]; // input stride of each output axis
        for (int i = 0; i < r; i++) {
            outDims[i] = inDims[axes[i]];
            strides[i] = inStrides[axes[i]];
        }
        return gather(t, Shape.of(outDims), strides);
    }

    /** A copy of {@code t} broadcast (NumPy rules) to {@code out}. */
    static Tensor broadcastTo(Tensor t, Shape out) {
        return gather(t, out, Broadcasting.stridesFor(t.shape(), out));
    }

    /** out[i0..ir] = in[Σ i_k·strides[k]]: the one strided-copy loop behind permute and broadcast. */
    private static Tensor gather(Tensor t, Shape out, int[] strides) {
        int[] dims = out.dims();
        int n = out.size();
        int inner = dims.length == 0 ? 1 : dims[dims.length - 1];
        int innerStride = dims.length == 0 ? 0 : strides[dims.length - 1];
        int rows = inner == 0 ? 0 : n / inner;
        if (t.dtype() == DType.FLOAT32) {
            float[] x = t.floatData();
            float[] y = BufferPool.floats(n);
            Parallel.forRange(rows, Math.max(1, 32768 / Math.max(1, inner)), (r0, r1) -> {
                for (int row = r0; row < r1; row++) {
                    int p = Broadcasting.rowOffset(row, dims, strides);
                    int o = row * inner;
                    for (int j = 0; j < inner; j++, p += innerStride) {
                        y[o + j] = x[p];
                    }
                }
            });
            return Tensor.wrap(out, y);
        }
        double[] x = t.doubleData();
        double[] y = BufferPool.doubles(n);
        Parallel.forRange(rows, Math.max(1, 32768 / Math.max(1, inner)), (r0, r1) -> {
            for (int row = r0; row < r1; row++) {
                int p = Broadcasting.rowOffset(row, dims, strides);
                int o = row * inner;
                for (int j = 0; j < inner; j++, p += innerStride) {
                    y[o + j] = x[p];
                }
            }
        });
        return Tensor.wrap(out, y);
    }
}
