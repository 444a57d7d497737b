/**
 * The OpenCL backend: Aparapi kernels on one OpenCL device (a GPU, or PoCL's CPU device in CI), with tensors that
 * stay in device memory between ops.
 * <pre>
 *   Backends.named("opencl") ─ OpenClBackendProvider ─ OpenClBackend.create(filter)
 *                                 OpenClDevices.select: GPU ▸ accelerator ▸ CPU device, or throw
 *   FLOAT32 ops ─▶ DeviceOps / DeviceImageOps / DeviceLayoutOps ─▶ DeviceArena.launch ─▶ ArenaKernel (op code)
 *                   find inputs' ranges (upload a host tensor once)    allocate result range   one run() for all ops
 *                                                                      ◀── Tensor.onDevice(shape, DeviceTensor)
 *   host reads (floatData, getFlat, printing, a host-only op) ─▶ DeviceTensor.readFloats ─▶ one counted read-back
 *   FLOAT64: matmul, conv ─▶ {Matmul,Conv,ConvWeightGrad}F64Kernel (copies in and out per call, counted);
 *            elementwise on resident operands ─▶ ArenaKernel; everything else ─▶ CpuBackend on the host
 * </pre>
 *
 * <p><b>Residency design.</b> Aparapi gives every {@code Kernel} object its own device buffers, one per array
 * field, so two kernel classes cannot share data on the device. Hence one kernel class, {@link ArenaKernel}, owns
 * two arenas, a {@code float[]} and a {@code double[]}, in explicit buffer mode ({@code setExplicit(true)}: Aparapi
 * copies an array only on {@code put}/{@code get}). Every resident tensor is a range of an arena
 * ({@link DeviceTensor}: offset and size); every op is one launch of the same kernel with an op code, the ranges'
 * offsets and its shape parameters as scalar kernel arguments, so a result is the next op's input in place. The
 * arenas are put once when the backend is created; after that the only copies are
 * <ul>
 *   <li>an upload of a host tensor (through a staging array field, then a copy kernel into its range; the copy is
 *   remembered on the tensor, {@link io.sipflow.autodiff.Tensor#mirrorOnDevice}, so it is sent once);</li>
 *   <li>a read-back when the host needs values ({@link io.sipflow.autodiff.Tensor} materialises on its first host
 *   read and keeps the copy);</li>
 *   <li>arena growth: when no free range fits, even after asking the JVM to collect dead tensors (whose ranges come
 *   back through phantom references), the arena is read back, doubled and put again (first steps only);</li>
 *   <li>the per-call FLOAT64 matmul and convolution kernels.</li>
 * </ul>
 * Host scalars (the 0.5 of a loss, a mean's 1/n) travel as launch arguments, not buffers. {@link DeviceArena}
 * counts every copy ({@code OpenClBackend.transfers()}; {@code ./sipflow bench --backend opencl} prints them per
 * SIP step). On PoCL a SIP step moves h2d=3 d2h=3 (98,356 bytes in all) at batch 8, 32×32: the network input, the
 * observation mean and the gradient that comes back from the FLOAT64 physics go up, three arrays (the prediction
 * among them) come down; the U-Net's
 * forward and backward, batch-norm statistics and running averages, and Adam (moments as FLOAT64 tensors) stay on
 * the device. The count does not depend on batch or grid size.
 *
 * <p><b>Proof of execution.</b> Aparapi 3.0.2 does not throw when OpenCL fails (it falls back to Java or skips
 * the launch). After every launch {@link Launch} checks Aparapi's records (last device, failed devices); reading
 * the device would cost a transfer per op, so instead work item 0 of every launch counts launches in element 0 of
 * the float arena, and each read-back returns that count with the values: a mismatch names the launches that did
 * not run. A skipped launch is therefore reported at the next read-back, not at the launch.
 *
 * <p><b>Verified on PoCL, and what PoCL cannot show.</b> The tests count transfers around chains of ops (none
 * until a read), check that a host tensor is uploaded once, that dropped tensors' ranges come back, every op
 * against the CPU backend, and 20 SIP steps against the CPU. PoCL's CPU device uses the Java array itself as the
 * buffer ({@code CL_MEM_USE_HOST_PTR}, which Aparapi always sets): a kernel's results appear in the host arena
 * without a {@code get}. So on PoCL "resident" means "no copy was made", which the counts prove; that a discrete
 * GPU keeps its own copy correct between launches rests on Aparapi's explicit mode, untested here without one.
 *
 * <p><b>Limits.</b>
 * <ul>
 *   <li>Aparapi rebuilds a buffer from the host array if the JVM moved the array. The arenas are at least 32 MiB,
 *   which G1 (the default collector) allocates as humongous objects and does not move; with another collector a
 *   discrete GPU could lose its values when the arena moves.</li>
 *   <li>The arenas also live in the Java heap (the host side of {@code CL_MEM_USE_HOST_PTR}): the opencl backend
 *   needs heap for the step's live tensors twice over; the launcher's heap plan is sized for the CPU backend (at
 *   the seed configuration run with {@code SIPFLOW_JAVA_OPTS=-Xmx6g}). Offsets are ints: 2^31 values per arena.</li>
 *   <li>{@link ArenaKernel} needs fp64 for all its ops (elementwise ops compute in double like the CPU backend).</li>
 *   <li>Work-group shapes: conv2d, its data gradient and conv2dAccumulate are tiled (a work group computes a tile
 *   of output rows for sixteen output channels per item from input rows and weights staged in local memory,
 *   loaded through row and column index tables; a tile inside one image holds each input row once; for a
 *   3×3 kernel two neighbouring pixels per item);
 *   batch norm runs one work group per channel with tree sums in local memory and normalises in the same launch;
 *   max pooling keeps its argmax for the backward pass; a sum over many values per output (a bias gradient) runs
 *   a work group per output with a tree sum. The weight gradient is many short independent sums over runs of rows,
 *   then the runs added; that second launch waits in a batch (below). For 3×3 with at most one group of input channels, a work group per
 *   (run, block of sixteen output channels) stages that gy in local memory as [pixel][channel] and item c holds
 *   all nine taps × sixteen channels of input channel c in registers; otherwise, without local memory, two output
 *   channels × one input channel × run per item (3×3), or kernel row × taps × run. Both give the same partial
 *   sums. (An older version with per-item partial sums in local memory gave wrong sums on PoCL's two threads,
 *   right on one; it was dropped.) Per-element ops run
 *   a grid-stride loop inside each op's branch (at most 16 work groups per compute unit), so the one kernel's op
 *   dispatch is paid per work item, not per element; the non-finite probe takes up to nineteen tensors per launch
 *   and Adam up to five parameters (queued until the next allocation or read-back). Ops whose results nothing
 *   needs at once wait in batches (DeviceArena.later) until a result is used, anything is read back or the batch is
 *   full: the weight gradients' final sums (ten per launch) and batch norm's running statistics (five layers per
 *   launch). The bench prints the launches of a warm SIP step with its transfers. One kernel means one register budget for all ops on a GPU; none of this has run on a
 *   GPU yet.</li>
 *   <li>PoCL compiles the one kernel per work-group size, and each change of the kernel costs a compile of
 *   10–30 s on first use (cached in ~/.cache/pocl afterwards).</li>
 *   <li>FLOAT64 networks (gradient checks) run matmul and convolutions through the per-call kernels and most other
 *   ops on the host: correct, with copies per op.</li>
 *   <li>All ops share one arena lock: one thread drives the device at a time.</li>
 * </ul>
 */
package io.sipflow.gpu;
