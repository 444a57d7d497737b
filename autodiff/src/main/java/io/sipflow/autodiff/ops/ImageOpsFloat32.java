package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Graph;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.ImageKernels;

/**
 * The FLOAT32 paths of {@link ImageOps}: {@link ImageKernels} on the raw float arrays, bit-identical to ImageOps'
 * double loops (same comparisons, same double expressions rounded once) but without whole-tensor float↔double
 * copies. The kernels are plain Java (no Vector API), so these paths need no fallback.
 */
final class ImageOpsFloat32 {
    private ImageOpsFloat32() {
    }

    /** FLOAT32 x (N, C, H, W), size already checked to divide H and W. VJP: gx[argmax[o]] = gy[o]. */
    static Tensor maxPool2d(Tensor x, int size) {
        int[] d = x.shape().dims();
        ImageKernels.MaxPool r = ImageKernels.maxPool(x.floatData(), d[0] * d[1], d[2], d[3], size);
        Tensor value = Tensor.wrap(Shape.of(d[0], d[1], d[2] / size, d[3] / size), r.y());
        Shape xShape = x.shape();
        int[] argmax = r.argmax();
        return Graph.record("maxPool2d", value, x, g -> new Tensor[] {
            Tensor.wrap(xShape, ImageKernels.maxPoolBackward(floats(g), argmax, xShape.size()))});
    }

    /** FLOAT32 x (N, C, H, W) to (N, C, 2H, 2W). VJP: the adjoint, accumulated per plane in double. */
    static Tensor upsampleBilinear2x(Tensor x) {
        int[] d = x.shape().dims();
        int planes = d[0] * d[1];
        float[] y = ImageKernels.upsampleBilinear2x(x.floatData(), planes, d[2], d[3]);
        Tensor value = Tensor.wrap(Shape.of(d[0], d[1], 2 * d[2], 2 * d[3]), y);
        Shape xShape = x.shape();
        return Graph.record("upsampleBilinear2x", value, x, g -> new Tensor[] {upsampleBilinear2xAdjoint(g, xShape)});
    }

    /** The VJP of {@link #upsampleBilinear2x} for an input of shape {@code xShape}, FLOAT32. */
    static Tensor upsampleBilinear2xAdjoint(Tensor g, Shape xShape) {
        int[] d = xShape.dims();
        return Tensor.wrap(xShape, ImageKernels.upsampleBilinear2xAdjoint(floats(g), d[0] * d[1], d[2], d[3]));
    }

    /** The gradient's floats: shared when it is FLOAT32 (as the output is), else rounded once. */
    private static float[] floats(Tensor g) {
        return g.dtype() == DType.FLOAT32 ? g.floatData() : g.toFloatArray();
    }
}
