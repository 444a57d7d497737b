/**
 * The op catalogue, one family per class, each op's forward next to its vector-Jacobian product. Every op checks
 * its inputs (errors name the op, the shapes and dtypes), casts them to one dtype, calls exactly one
 * {@link io.sipflow.autodiff.backend.Backend} method on untracked values, and records its VJP with
 * {@link io.sipflow.autodiff.Graph#record}; the VJP again calls Backend methods (or other ops). No op touches a
 * kernel class, so every op runs on whichever backend is selected. (Two ops compute nothing and call none:
 * {@code reshape} is a view of the same storage, {@code stopGradient} the same value without a gradient.)
 * <ul>
 * <li>{@link io.sipflow.autodiff.ops.BinaryOps} (add sub mul div pow maximum minimum),
 *     {@link io.sipflow.autodiff.ops.UnaryOps} (neg exp log sqrt abs square sign relu pow clip),
 *     {@link io.sipflow.autodiff.ops.CompareOps} (masks and where)</li>
 * <li>{@link io.sipflow.autodiff.ops.ReduceOps} (sum mean max), {@link io.sipflow.autodiff.ops.LinalgOps}
 *     (matmul), {@link io.sipflow.autodiff.ops.CastOps} (to, stopGradient)</li>
 * <li>{@link io.sipflow.autodiff.ops.ShapeOps} (reshape permute transpose slice concat pad broadcastTo)</li>
 * <li>{@link io.sipflow.autodiff.ops.ConvOps} (conv2d with zero or circular padding, the U-Net's
 *     conv2dConcatUpsampled), {@link io.sipflow.autodiff.ops.NormOps} (batch norm, training and inference, ReLU
 *     fused optionally), {@link io.sipflow.autodiff.ops.ImageOps} (maxPool2d, bilinear upsampling ×2)</li>
 * </ul>
 * Broadcasting is undone in exactly one place, {@link io.sipflow.autodiff.ops.Broadcast#sumTo}.
 */
package io.sipflow.autodiff.ops;
