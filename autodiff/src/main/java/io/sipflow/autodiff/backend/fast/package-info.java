/**
 * The Vector API ({@code jdk.incubator.vector}) kernels of the CPU backend: FLOAT32 convolutions as an implicit
 * GEMM on padded images, FLOAT32/FLOAT64 GEMM, and the ReLU/step elementwise loops; and their plain-Java twins
 * ({@link io.sipflow.autodiff.backend.fast.ScalarKernels}), the same float operations in the same order for JVMs
 * without the module. Nothing outside this package names a Vector API class, and the twins name none, so the
 * library still loads without the module; {@link io.sipflow.autodiff.backend.FastPath} decides which run.
 * The order of every sum is fixed independently of the vector width (SumOrder), so both give the same bits.
 * <pre>
 *   x (N,C,H,W) --pad per image--> xpad (C planes of (H+2p)×(W+2p))
 *   yq[o, q] = b[o] + Σ_taps W[t, o] · xpad[q + off[t]]     (8 outputs × 3 vectors per tile; 4 × 2 on AVX2)
 *   yq, block by block of q --drop the 2p extra columns per row--> y (N,O,H,W)
 * </pre>
 * The padding step is where fusions sit: an input may end in channels computed per image (ConvInput: the U-Net's
 * upsampled half, never a tensor), a data gradient may hand its last channels to a sink per image (the upsampling's
 * adjoint), and a weight gradient runs the data gradient's images in its own loop, so gy is read from memory once.
 * Their specifications in double are {@link io.sipflow.autodiff.backend.ReferenceConv} and the loop in
 * {@link io.sipflow.autodiff.backend.CpuBackend}; the tests compare against them within tolerance, and the twins
 * against each other bit for bit.
 */
package io.sipflow.autodiff.backend.fast;
