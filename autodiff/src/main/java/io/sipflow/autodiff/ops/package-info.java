/**
 * The op catalogue, one family per class, each op's forward next to its vector-Jacobian product:
 * {@link io.sipflow.autodiff.ops.BinaryOps} (add sub mul div pow maximum minimum),
 * {@link io.sipflow.autodiff.ops.UnaryOps} (neg exp log sqrt abs square sign relu pow clip),
 * {@link io.sipflow.autodiff.ops.CompareOps} (masks and where),
 * {@link io.sipflow.autodiff.ops.ReduceOps} (sum mean max),
 * {@link io.sipflow.autodiff.ops.ShapeOps} (reshape permute transpose slice concat pad broadcastTo),
 * {@link io.sipflow.autodiff.ops.LinalgOps} (matmul),
 * {@link io.sipflow.autodiff.ops.CastOps} (to, stopGradient),
 * {@link io.sipflow.autodiff.ops.ConvOps} (conv2d with zero or circular padding),
 * {@link io.sipflow.autodiff.ops.ImageOps} (maxPool2d, bilinear upsampling ×2).
 * Broadcasting is undone in exactly one place, {@link io.sipflow.autodiff.ops.Broadcast#sumTo}.
 */
package io.sipflow.autodiff.ops;
