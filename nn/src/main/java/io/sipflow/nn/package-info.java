/**
 * Neural networks on top of the autodiff core: modules with named parameters, the layers of the seed's U-Net,
 * optimizers and checkpoints. Modules only: every computation is an op of {@code io.sipflow.autodiff.ops}, so a
 * module never touches a kernel and runs on whichever backend is selected.
 * <pre>
 * UNet ─ DoubleConv ─ Conv2d ──▶ ConvOps.conv2d          (autodiff)
 *      │            │          └─▶ ConvOps.conv2dConcatUpsampled (up blocks: no concatenation kept)
 *      │            └ BatchNorm2d ─▶ NormOps.batchNorm2d   (autodiff)
 *      ├ MaxPool2d ───────────────▶ ImageOps.maxPool2d    (autodiff)
 *      └ parameters() ─▶ Autodiff.grad ─▶ Gradients ─▶ Adam.step / SGD.step ─▶ Parameter.set
 * </pre>
 * Small networks ({@link io.sipflow.nn.MLP} of {@link io.sipflow.nn.Linear} layers) can also train with
 * half-inverse gradients:
 * <pre>
 * outputs (B, m) ─▶ PerExampleJacobian (B·m backward passes) ─▶ J ─▶ HalfInverseGradients (EJML) ─▶ d = V·Σ^(−½)·Uᵀ·g
 * </pre>
 * A {@link io.sipflow.nn.Parameter} is the only mutable holder: the optimizer swaps its value; gradients are
 * returned by {@code Autodiff.grad}, never stored on the network.
 */
package io.sipflow.nn;
