/**
 * The Vector API ({@code jdk.incubator.vector}) kernels of the CPU backend: FLOAT32 convolutions as an implicit
 * GEMM on padded images, FLOAT32/FLOAT64 GEMM, and the ReLU/step elementwise loops.
 * Nothing outside this package names a Vector API class, so the library still loads without the module;
 * {@link io.sipflow.autodiff.backend.FastPath} decides whether to use them.
 * <pre>
 *   x (N,C,H,W) --pad per image--> xpad (C planes of (H+2p)×(W+2p))
 *   yq[o, q] = b[o] + Σ_taps W[t, o] · xpad[q + off[t]]     (4 outputs × 6 vectors per tile; × 2 on AVX2)
 *   yq --drop the 2p extra columns per row--> y (N,O,H,W)
 * </pre>
 * Their scalar specifications are {@link io.sipflow.autodiff.backend.ReferenceConv} and the loop in
 * {@link io.sipflow.autodiff.backend.CpuBackend}; the tests compare the two.
 */
package io.sipflow.autodiff.backend.fast;
