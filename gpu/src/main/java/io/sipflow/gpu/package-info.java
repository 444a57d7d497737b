/**
 * The OpenCL backend: Aparapi kernels for the compute-bound ops (batched matmul, 2-D convolution forward and both
 * gradients) in FLOAT32 and FLOAT64, on a real OpenCL device only (a GPU, or PoCL's CPU device in CI).
 * <pre>
 *   Backends.named("opencl") ─ OpenClBackendProvider ─ OpenClBackend.create(filter)
 *                                 OpenClDevices.select: GPU ▸ accelerator ▸ CPU device, or throw
 *   matmul ──────────────────▶ Matmul{F32,F64}Kernel ─────────┐
 *   conv2d, backward data ───▶ Conv{F32,F64}Kernel ───────────┼─▶ Launch.run: execute on the device,
 *   backward weight ─────────▶ ConvWeightGrad{F32,F64}Kernel ─┘   then prove it ran there
 *   elementwise, reduce, where ▶ CpuBackend (host)
 * </pre>
 * Each kernel exists twice, once per element type, because Aparapi translates the bytecode of one concrete
 * {@code run()} and has no generics over float/double.
 */
package io.sipflow.gpu;
