package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every op refuses bad input before computing, with an IllegalArgumentException that names the op and what was wrong:
 * the null input's position, or the shapes that do not fit. Without the checks these inputs end in a
 * NullPointerException or an index error deep in a kernel, or in a wrong result.
 */
class OpArgumentChecksTest {
    private static final Tensor IMAGE = Tensor.zeros(1, 2, 4, 4);
    private static final Tensor WEIGHT = Tensor.zeros(3, 2, 3, 3);
    private static final Tensor CHANNELS = Tensor.zeros(2);

    static void assertRefused(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should contain '" + f + "'");
        }
    }

    @Test
    void aNullInputIsNamedByOpAndPosition() {
        Tensor t = Tensor.zeros(2, 2);
        assertRefused(() -> BinaryOps.add(t, null), "add: input 1 is null");
        assertRefused(() -> UnaryOps.neg(null), "neg: input 0 is null");
        assertRefused(() -> LinalgOps.matmul(t, null), "matmul: input 1 is null");
        assertRefused(() -> CompareOps.where(null, t, t), "where: input 0 is null");
        assertRefused(() -> ShapeOps.concat(0, t, null), "concat: input 1 is null");
        assertRefused(() -> ImageOps.maxPool2d(null, 2), "maxPool2d: input 0 is null");
        assertRefused(() -> ImageOps.upsampleBilinear2x(null), "upsampleBilinear2x: input 0 is null");
        assertRefused(() -> ConvOps.conv2d(null, WEIGHT, null, Padding.ZERO), "conv2d: input 0 is null");
        assertRefused(() -> ConvOps.conv2dConcatUpsampled(IMAGE, null, WEIGHT, null, Padding.ZERO),
                "conv2dConcatUpsampled: input 1 is null");
        assertRefused(() -> NormOps.batchNorm2d(IMAGE, null, CHANNELS, 1e-5, NormOps.Fused.NONE),
                "batchNorm2d: input 1 is null");
        assertRefused(() -> NormOps.batchNorm2dInference(IMAGE, CHANNELS, CHANNELS, null, CHANNELS, 1e-5,
                NormOps.Fused.NONE), "batchNorm2dInference: input 3 is null");
    }

    @Test
    void concatNamesThePartThatDoesNotFit() {
        Tensor a = Tensor.zeros(2, 3);
        assertRefused(() -> ShapeOps.concat(0, a, Tensor.zeros(3)),
                "concat: tensor 1 has shape (3,), which does not match (2, 3) outside axis 0");
        assertRefused(() -> ShapeOps.concat(0, a, a, Tensor.zeros(1, 4)),
                "concat: tensor 2 has shape (1, 4), which does not match (2, 3) outside axis 0");
        assertRefused(() -> ShapeOps.concat(1, a, Tensor.zeros(3, 1)), "tensor 1 has shape (3, 1)", "axis 1");
    }

    @Test
    void reshapeSliceAndPadNameTheirArguments() {
        Tensor six = Tensor.zeros(2, 3);
        assertRefused(() -> six.reshape(-1, -1), "reshape: bad dimension -1 in [-1, -1]", "only one -1");
        assertRefused(() -> six.reshape(4, -1), "reshape: cannot view (2, 3) (6 elements) as [4, -1]");
        assertRefused(() -> Tensor.vector(1, 2, 3).slice(0, 2, 1), "slice: range [2, 1) is outside axis 0 of (3,)");
        assertRefused(() -> ShapeOps.pad(Tensor.zeros(2, 0), new int[] {0, 1}, new int[] {0, 1}, Padding.CIRCULAR),
                "pad: cannot wrap an empty axis 1 of (2, 0)");
    }

    @Test
    void reductionsNameARepeatedAxisInAnyOrder() {
        Tensor t = Tensor.zeros(2, 3, 4);
        assertRefused(() -> t.sum(new int[] {0, 1, 0}, false), "sum: axis 0 repeated in [0, 1, 0]");
        assertRefused(() -> t.max(new int[] {2, -1}, false), "max: axis 2 repeated in [2, -1]");
    }

    @Test
    void imageOpsNeedNchw() {
        assertRefused(() -> ImageOps.maxPool2d(Tensor.zeros(1, 4, 4), 2),
                "maxPool2d: expects an NCHW image (rank 4), got (1, 4, 4)");
        assertRefused(() -> ImageOps.upsampleBilinear2x(Tensor.zeros(4, 4)),
                "upsampleBilinear2x: expects an NCHW image (rank 4), got (4, 4)");
        assertRefused(() -> ImageOps.maxPool2d(IMAGE, 0), "maxPool2d: window 0 must divide", "(1, 2, 4, 4)");
    }

    @Test
    void convNamesEveryShapeItWasGiven() {
        assertRefused(() -> ConvOps.conv2d(IMAGE, WEIGHT, Tensor.zeros(4), Padding.ZERO),
                "conv2d: bias must have shape (3); got x (1, 2, 4, 4), w (3, 2, 3, 3), bias (4,)");
        assertRefused(() -> ConvOps.conv2d(IMAGE, Tensor.zeros(3, 1, 3, 3), null, Padding.ZERO),
                "x has 2 channels but w expects 1; x (1, 2, 4, 4), w (3, 1, 3, 3)");
    }

    @Test
    void batchNormNamesXGammaAndBeta() {
        assertRefused(() -> NormOps.batchNorm2d(IMAGE, Tensor.zeros(3), CHANNELS, 1e-5, NormOps.Fused.NONE),
                "batchNorm2d: expects x (N, C, H, W) and gamma, beta (C); got x (1, 2, 4, 4), gamma (3,), beta (2,)");
        assertRefused(() -> NormOps.batchNorm2d(Tensor.zeros(1, 2, 1, 1), CHANNELS, CHANNELS, 1e-5,
                NormOps.Fused.RELU), "batchNorm2d: training needs more than one value per channel, got x (1, 2, 1, 1)");
        assertRefused(() -> NormOps.batchNorm2dInference(IMAGE, CHANNELS, Tensor.zeros(1), CHANNELS, CHANNELS, 1e-5,
                NormOps.Fused.NONE), "batchNorm2dInference: expects x (N, C, H, W)", "beta (1,)");
        assertRefused(() -> NormOps.batchNorm2dInference(IMAGE, CHANNELS, CHANNELS, CHANNELS, Tensor.zeros(3), 1e-5,
                NormOps.Fused.NONE), "batchNorm2dInference: expects mean and variance of shape (2,)", "variance (3,)");
    }
}
