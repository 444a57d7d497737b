package io.sipflow.autodiff;

import io.sipflow.autodiff.ops.ConvOps;
import io.sipflow.autodiff.ops.ImageOps;
import io.sipflow.autodiff.ops.NormOps;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The small U-Net-like model the buffer-scope tests run (conv, fused batch norm + ReLU, max-pool, decoder conv on
 * the concatenated upsampled features), on N × 1 × H × H inputs with C channels: each activation has 16384 elements,
 * above {@link BufferPool#MIN_LENGTH}, so the pool issues and recycles it.
 */
final class SmallUNet {
    static final int N = 4;
    static final int C = 4;
    static final int H = 32;

    private SmallUNet() {
    }

    /** Standard normal FLOAT32 values of shape {@code dims} from {@code seed}. */
    static Tensor randn(long seed, int... dims) {
        return Tensor.randn(new SplittableRandom(seed), dims).to(DType.FLOAT32);
    }

    /** The model's parameters: three conv kernels, then batch norm's γ (around 2) and β. */
    static List<Tensor> params() {
        return List.of(randn(1, C, 1, 3, 3).variable(), randn(2, C, C, 3, 3).variable(),
                randn(3, 1, 2 * C, 3, 3).variable(), randn(4, C).add(Tensor.scalar(2).to(DType.FLOAT32)).variable(),
                randn(5, C).variable());
    }

    /** The prediction for {@code x}; {@code all} receives every activation (a, low, prediction). */
    static Tensor forward(List<Tensor> p, Tensor x, List<Tensor> all) {
        Tensor a = NormOps.batchNorm2d(ConvOps.conv2d(x, p.get(0), null, Padding.CIRCULAR), p.get(3), p.get(4), 1e-5,
                NormOps.Fused.RELU).output();
        Tensor low = ConvOps.conv2d(ImageOps.maxPool2d(a, 2), p.get(1), null, Padding.CIRCULAR).relu();
        Tensor prediction = ConvOps.conv2dConcatUpsampled(a, low, p.get(2), null, Padding.CIRCULAR);
        all.addAll(List.of(a, low, prediction));
        return prediction;
    }
}
