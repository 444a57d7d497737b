package io.sipflow.nn;

import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.ops.ImageOps;

/** Bilinear ×2 upsampling, PyTorch's {@code nn.Upsample(scale_factor=2, mode='bilinear')} (align_corners=False). */
public final class Upsample2d extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return ImageOps.upsampleBilinear2x(x);
    }
}
