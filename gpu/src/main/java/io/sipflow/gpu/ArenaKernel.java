package io.sipflow.gpu;

/**
 * The one Aparapi kernel behind device-resident tensors. It owns two arenas, {@link #f} (FLOAT32 values) and
 * {@link #d} (FLOAT64 values), that stay on the device; every tensor is a range of one of them, and every op is a
 * launch of this kernel with an op code and the ranges' offsets as scalar arguments, so one op's result is the
 * next op's input without leaving the device. Aparapi gives each {@code Kernel} object its own buffers, which is
 * why all ops live in this one class (one {@code run()} dispatching on {@link #op}) rather than one class each.
 * {@link #fio} and {@link #dio} are the staging arrays for the only transfers: uploads and read-backs.
 *
 * <p>Element 0 of {@code f} is not a tensor: work item 0 of every launch counts the launch there (mod 2^20, exact in
 * float), and each read-back returns the count with the values, so {@link DeviceArena} can prove that every
 * launch since the last read-back ran on the device without reading anything extra.
 *
 * <p>Work-group ops ({@code op >= FIRST_GROUP_OP}: the tiled convolution, batch norm) use the local arrays and
 * barriers; every launch, of any op, runs in work groups of {@link #GROUP} items ({@link DeviceArena#group()}),
 * and a group op runs every item of every group to each barrier (items outside the data only skip their loads and
 * stores). Aparapi translates this class to one OpenCL kernel; a CPU OpenCL compiler (PoCL) builds it once per
 * work-group size, so one size serves all ops.
 *
 * <p>Numerics: elementwise ops, reductions and the Adam update compute in double and round once (as the CPU
 * backend does, so +, −, ×, ÷ and sqrt agree with it bit for bit); matmul and convolutions sum in float in the
 * order of the CPU's reference loops; the weight gradient sums runs of rows in float and adds the runs in double;
 * batch-norm sums are trees in double. The kernel needs fp64 (PoCL and current GPUs have it).
 */
final class ArenaKernel extends com.aparapi.Kernel {
    static final int COPY_IN_F = 1;
    static final int COPY_OUT_F = 2;
    static final int COPY_IN_D = 3;
    static final int COPY_OUT_D = 4;
    static final int BINARY_F = 5;
    static final int UNARY_F = 6;
    static final int WHERE_F = 7;
    static final int REDUCE_F = 8;
    static final int MATMUL_F = 9;
    static final int CONV_F = 10;
    static final int ADAM_F = 13;
    static final int FILL_F = 14;
    static final int COPY6_F = 15;
    static final int MAXPOOL_BACKWARD_F = 17;
    static final int PAD_F = 24;
    static final int PAD_ADJOINT_F = 25;
    static final int CAST_FD = 26;
    static final int CAST_DF = 27;
    static final int BINARY_D = 28;
    static final int MAXPOOL_ARGMAX_F = 30;
    static final int MAXPOOL_BACKWARD_ARGMAX_F = 31;
    static final int CONV_WEIGHT_SLICES_F = 32;
    static final int CONV_WEIGHT_3X3_SLICES_F = 33;
    static final int PROBE_F = 34;
    static final int PROBE_D = 35;
    static final int MAXPOOL_BACKWARD_WINDOWS_F = 38;
    static final int COPY6_TWO_F = 39;
    static final int SUM_PARTS_BATCH_F = 36;
    static final int RUNNING_STATS_BATCH = 37;
    /** Ops from here on are work-group ops: every work item of a group takes part (barriers), none is cut off. */
    static final int FIRST_GROUP_OP = 40;
    static final int CONV_TILED_F = 40;
    static final int BN_FORWARD_GROUPS_F = 42;
    static final int BN_BACKWARD_GROUPS_F = 43;
    static final int REDUCE_SUM_GROUPS_F = 44;
    static final int CONV_WEIGHT_TILED_F = 45;
    static final int UPSAMPLE_GROUPS_F = 46;
    static final int UPSAMPLE_ADJOINT_GROUPS_F = 47;
    static final int CHANNEL_SUMS_BATCH_F = 48;
    /** The work-group size of every launch (less only on a device that allows less); local arrays fit it. */
    static final int GROUP = 128;
    /** Output channels per work item of {@link #convTiled}: each input value read from local memory serves sixteen. */
    static final int CONV_OUT_BLOCK = 16;
    /** Local floats for {@link #convTiled}'s input tiles (chunk of channels × tile rows × k rows × tile width + halo). */
    static final int TILE_FLOATS = 4096;
    /** Local floats for {@link #convTiled}'s weights (chunk of channels × k × k × CONV_OUT_BLOCK). */
    static final int TILE_WEIGHTS = 2048;
    /** Local ints for {@link #convTiled}'s row table (chunk of channels × tile rows × k). */
    static final int TILE_ROWS = 512;
    /** Local ints for {@link #convTiled}'s column table (tile width + k − 1). */
    static final int TILE_COLUMNS = 512;
    /** Taps of one kernel row per work item of {@link #convWeightSlice}. */
    static final int WEIGHT_TAPS = 5;
    static final int LAUNCH_COUNT_MOD = 1048576;
    /** Parameters per launch of the Adam update ({@link #adamSlot}). */
    static final int ADAM_SLOTS = 5;
    /** Tensors per launch of the non-finite probe ({@link #probeSegment}). */
    static final int PROBE_SLOTS = 19;
    /** Ints that {@link #setPacked} sets: the kernel's integer parameters in a fixed order. */
    static final int PACKED_INTS = 40;
    /** Weight gradients per launch of their final sums ({@link #sumPartsSlot}): four packed ints each. */
    static final int SUM_PARTS_SLOTS = PACKED_INTS / 4;
    /** Tensors per launch of {@link #channelSumsBatch}: six packed ints each. */
    static final int CHANNEL_SUMS_SLOTS = 6;
    /** Batch-norm layers per launch of the running-statistics update ({@link #runningStatsSlot}). */
    static final int RUNNING_STATS_SLOTS = 5;

    float[] f = new float[1];
    double[] d = new double[1];
    /** Work-group local memory: input tiles of the convolution. */
    @Local
    final float[] localTile = new float[TILE_FLOATS];
    /**
     * Work-group local memory: the convolution's weights for one chunk of input channels, as [channel][tap][output
     * channel of the block], so the CONV_OUT_BLOCK weights of one tap are neighbours (one vector load on a CPU
     * device, one broadcast row on a GPU).
     */
    @Local
    final float[] localWeights = new float[TILE_WEIGHTS];
    /** Work-group local memory: arena offset of each input-tile row of the convolution (−1: padding zeros). */
    @Local
    final int[] localRowBase = new int[TILE_ROWS];
    /** Work-group local memory: source column of each input-tile column of the convolution (−1: padding zero). */
    @Local
    final int[] localColumns = new int[TILE_COLUMNS];
    /** Work-group local memory: two double trees (batch-norm sums). */
    @Local
    final double[] localSums = new double[2 * GROUP];
    float[] fio = new float[1];
    double[] dio = new double[1];

    int op;
    int n;
    /** Arena offsets of the operands and results (meaning per op). */
    int oa;
    int ob;
    int oc;
    int od;
    int oy;
    int oz;
    int ow;
    /** Integer parameters (meaning per op). */
    int i0;
    int i1;
    int i2;
    int i3;
    int i4;
    int i5;
    int i6;
    /** Real parameters (meaning per op). */
    double x0;
    double x1;
    double x2;
    double x3;
    double x4;
    double x5;
    /** An iteration space of up to six dims (outermost first) and three stride sets over it. */
    int r0;
    int r1;
    int r2;
    int r3;
    int r4;
    int r5;
    int sa0;
    int sa1;
    int sa2;
    int sa3;
    int sa4;
    int sa5;
    int sb0;
    int sb1;
    int sb2;
    int sb3;
    int sb4;
    int sb5;
    int sy0;
    int sy1;
    int sy2;
    int sy3;
    int sy4;
    int sy5;
    /**
     * {@link #convTiled}: a tile's columns and rows, column tiles across the image, blocks of CONV_OUT_BLOCK output
     * channels, input channels per chunk.
     */
    int tileWidth;
    /** {@link #convTiled}: output pixels per work item along a row (1, or 2 for a 3×3 kernel). */
    int pixelsPerItem;
    int tileRows;
    /**
     * {@link #convTiled}: 1 if every tile lies inside one image (h a multiple of {@link #tileRows}), so the tile
     * holds each input row once (rows + k − 1 per channel) instead of k rows per output row; else 0.
     */
    int tileShared;
    int tilesAcross;
    int outBlocks;
    int chunk;
    /** Max-pool's argmax (window offsets u·size + v as floats) in f at this offset. */
    int oarg;

    /** Host side: the iteration space r0..r5 (six dims, outermost first). Not called by {@code run()}. */
    void setSpace(int[] r) {
        r0 = r[0]; r1 = r[1]; r2 = r[2]; r3 = r[3]; r4 = r[4]; r5 = r[5];
    }

    /** Host side: strides sa0..sa5. */
    void setStridesA(int[] s) {
        sa0 = s[0]; sa1 = s[1]; sa2 = s[2]; sa3 = s[3]; sa4 = s[4]; sa5 = s[5];
    }

    /** Host side: strides (or, for reductions, sizes) sb0..sb5. */
    void setStridesB(int[] s) {
        sb0 = s[0]; sb1 = s[1]; sb2 = s[2]; sb3 = s[3]; sb4 = s[4]; sb5 = s[5];
    }

    /** Host side: strides sy0..sy5. */
    void setStridesY(int[] s) {
        sy0 = s[0]; sy1 = s[1]; sy2 = s[2]; sy3 = s[3]; sy4 = s[4]; sy5 = s[5];
    }

    /**
     * Host side: the parameters of one Adam launch ({@link #adamSlot}), up to {@link #ADAM_SLOTS} rows of eight ints
     * {θ, g, m, v, new θ, new m, new v offsets, size}; the slots after {@code count} get size 0.
     */
    void setAdamSlots(int[][] slots, int count) {
        int[] a = new int[8 * ADAM_SLOTS];
        for (int i = 0; i < count; i++) {
            System.arraycopy(slots[i], 0, a, 8 * i, 8);
        }
        oa = a[0]; ob = a[1]; oc = a[2]; od = a[3]; oy = a[4]; oz = a[5]; ow = a[6]; i0 = a[7];
        i1 = a[8]; i2 = a[9]; i3 = a[10]; i4 = a[11]; i5 = a[12]; i6 = a[13]; sa0 = a[14]; sa1 = a[15];
        sa2 = a[16]; sa3 = a[17]; sa4 = a[18]; sa5 = a[19]; sb0 = a[20]; sb1 = a[21]; sb2 = a[22]; sb3 = a[23];
        sb4 = a[24]; sb5 = a[25]; sy0 = a[26]; sy1 = a[27]; sy2 = a[28]; sy3 = a[29]; sy4 = a[30]; sy5 = a[31];
        r0 = a[32]; r1 = a[33]; r2 = a[34]; r3 = a[35]; r4 = a[36]; r5 = a[37]; tileWidth = a[38]; tileRows = a[39];
    }

    /**
     * Host side: the tensors of one probe launch ({@link #probeSegment}), up to {@link #PROBE_SLOTS} arena offsets
     * and sizes, as pairs of packed ints ({@link #setPacked}) around oy (the probe value, set afterwards); the slots
     * after {@code count} get size 0.
     */
    void setProbeSlots(int[] offsets, int[] sizes, int count) {
        int[] packed = new int[PACKED_INTS];
        for (int i = 0; i < count; i++) {
            int at = 2 * i < 4 ? 2 * i : 2 * i + 1; // skip index 4, oy
            packed[at] = offsets[i];
            packed[at + 1] = sizes[i];
        }
        setPacked(packed);
    }

    /**
     * Host side: the integer parameters oa, ob, oc, od, oy, oz, ow, i0 … i6, sa0 … sa5, sb0 … sb5, sy0 … sy5, r0 … r5,
     * tileWidth, tileRows from {@code a} (at most {@link #PACKED_INTS} values; the rest get 0): slot tables of the
     * batched launches ({@link #sumPartsSlot}, {@link #runningStatsSlot}), which have no other integer parameters.
     */
    void setPacked(int[] v) {
        int[] a = java.util.Arrays.copyOf(v, PACKED_INTS);
        oa = a[0]; ob = a[1]; oc = a[2]; od = a[3]; oy = a[4]; oz = a[5]; ow = a[6]; i0 = a[7];
        i1 = a[8]; i2 = a[9]; i3 = a[10]; i4 = a[11]; i5 = a[12]; i6 = a[13]; sa0 = a[14]; sa1 = a[15];
        sa2 = a[16]; sa3 = a[17]; sa4 = a[18]; sa5 = a[19]; sb0 = a[20]; sb1 = a[21]; sb2 = a[22]; sb3 = a[23];
        sb4 = a[24]; sb5 = a[25]; sy0 = a[26]; sy1 = a[27]; sy2 = a[28]; sy3 = a[29]; sy4 = a[30]; sy5 = a[31];
        r0 = a[32]; r1 = a[33]; r2 = a[34]; r3 = a[35]; r4 = a[36]; r5 = a[37]; tileWidth = a[38]; tileRows = a[39];
    }

    /** Host side: every scalar parameter, for {@link #restoreParams} (a batched launch run in the middle of an op). */
    Object[] saveParams() {
        return new Object[] {
            new int[] {op, n, oa, ob, oc, od, oy, oz, ow, i0, i1, i2, i3, i4, i5, i6, r0, r1, r2, r3, r4, r5, sa0, sa1,
                sa2, sa3, sa4, sa5, sb0, sb1, sb2, sb3, sb4, sb5, sy0, sy1, sy2, sy3, sy4, sy5, tileWidth,
                pixelsPerItem, tileRows, tileShared, tilesAcross, outBlocks, chunk, oarg},
            new double[] {x0, x1, x2, x3, x4, x5}};
    }

    /** Host side: the parameters {@link #saveParams} returned. */
    void restoreParams(Object[] saved) {
        int[] a = (int[]) saved[0];
        double[] x = (double[]) saved[1];
        op = a[0]; n = a[1]; oa = a[2]; ob = a[3]; oc = a[4]; od = a[5]; oy = a[6]; oz = a[7]; ow = a[8];
        i0 = a[9]; i1 = a[10]; i2 = a[11]; i3 = a[12]; i4 = a[13]; i5 = a[14]; i6 = a[15];
        r0 = a[16]; r1 = a[17]; r2 = a[18]; r3 = a[19]; r4 = a[20]; r5 = a[21];
        sa0 = a[22]; sa1 = a[23]; sa2 = a[24]; sa3 = a[25]; sa4 = a[26]; sa5 = a[27];
        sb0 = a[28]; sb1 = a[29]; sb2 = a[30]; sb3 = a[31]; sb4 = a[32]; sb5 = a[33];
        sy0 = a[34]; sy1 = a[35]; sy2 = a[36]; sy3 = a[37]; sy4 = a[38]; sy5 = a[39];
        tileWidth = a[40]; pixelsPerItem = a[41]; tileRows = a[42]; tileShared = a[43]; tilesAcross = a[44];
        outBlocks = a[45]; chunk = a[46]; oarg = a[47];
        x0 = x[0]; x1 = x[1]; x2 = x[2]; x3 = x[3]; x4 = x[4]; x5 = x[5];
    }

    @Override
    public void run() {
        int g = getGlobalId(0);
        if (g == 0 && getGlobalId(1) == 0) {
            float count = f[0] + 1f;
            if (count >= LAUNCH_COUNT_MOD) {
                count = 0f;
            }
            f[0] = count;
        }
        if (op >= FIRST_GROUP_OP) {
            groupOp();
        } else {
            elementLoop(g, getGlobalSize(0));
        }
        if (g == 0 && op == COPY_OUT_F) {
            fio[n] = f[0];
        }
        if (g == 0 && op == COPY_OUT_D) {
            dio[n] = f[0];
        }
    }

    /**
     * The per-element op {@link #op} for elements (or outputs) first, first + stride, … below n: a grid-stride loop,
     * so a launch needs no more work items than the device runs at once (see {@link DeviceArena#launch}). The op is
     * chosen once per work item, and the loop sits inside each branch.
     */
    void elementLoop(int first, int stride) {
        if (op == COPY_IN_F) {
            for (int g = first; g < n; g += stride) {
                f[oy + g] = fio[g];
            }
        } else if (op == COPY_OUT_F) {
            for (int g = first; g < n; g += stride) {
                fio[g] = f[oa + g];
            }
        } else if (op == COPY_IN_D) {
            for (int g = first; g < n; g += stride) {
                d[oy + g] = dio[g];
            }
        } else if (op == COPY_OUT_D) {
            for (int g = first; g < n; g += stride) {
                dio[g] = d[oa + g];
            }
        } else if (op == BINARY_F) {
            for (int g = first; g < n; g += stride) {
                binary(g);
            }
        } else if (op == UNARY_F) {
            for (int g = first; g < n; g += stride) {
                f[oy + g] = (float) unary(i0, f[oa + g], x0);
            }
        } else if (op == WHERE_F) {
            for (int g = first; g < n; g += stride) {
                float v = f[ob + g];
                if (f[oa + g] == 0f) {
                    v = f[oc + g];
                }
                f[oy + g] = v;
            }
        } else if (op == REDUCE_F) {
            for (int g = first; g < n; g += stride) {
                reduce(g);
            }
        } else if (op == MATMUL_F) {
            for (int g = first; g < n; g += stride) {
                matmul(g);
            }
        } else if (op == CONV_F) {
            for (int g = first; g < n; g += stride) {
                conv(g);
            }
        } else if (op == ADAM_F) {
            adamSlot(first, stride, oa, ob, oc, od, oy, oz, ow, i0);
            adamSlot(first, stride, i1, i2, i3, i4, i5, i6, sa0, sa1);
            adamSlot(first, stride, sa2, sa3, sa4, sa5, sb0, sb1, sb2, sb3);
            adamSlot(first, stride, sb4, sb5, sy0, sy1, sy2, sy3, sy4, sy5);
            adamSlot(first, stride, r0, r1, r2, r3, r4, r5, tileWidth, tileRows);
        } else if (op == FILL_F) {
            for (int g = first; g < n; g += stride) {
                f[oy + g] = (float) x0;
            }
        } else if (op == COPY6_F) {
            for (int g = first; g < n; g += stride) {
                f[oy + strided(g, sy0, sy1, sy2, sy3, sy4, sy5)] = f[oa + strided(g, sa0, sa1, sa2, sa3, sa4, sa5)];
            }
        } else if (op == COPY6_TWO_F) {
            // two strided copies of one shape (i0 elements each) in one launch: oa → oy, then ob → oz
            for (int g = first; g < n; g += stride) {
                int e = g;
                int src = oa;
                int dst = oy;
                if (g >= i0) {
                    e = g - i0;
                    src = ob;
                    dst = oz;
                }
                f[dst + strided(e, sy0, sy1, sy2, sy3, sy4, sy5)] = f[src + strided(e, sa0, sa1, sa2, sa3, sa4, sa5)];
            }
        } else if (op == MAXPOOL_BACKWARD_F) {
            for (int g = first; g < n; g += stride) {
                maxPoolBackward(g);
            }
        } else if (op == PAD_F) {
            for (int g = first; g < n; g += stride) {
                pad(g);
            }
        } else if (op == PAD_ADJOINT_F) {
            for (int g = first; g < n; g += stride) {
                padAdjoint(g);
            }
        } else if (op == CAST_FD) {
            for (int g = first; g < n; g += stride) {
                d[oy + g] = f[oa + g];
            }
        } else if (op == CAST_DF) {
            for (int g = first; g < n; g += stride) {
                f[oy + g] = (float) d[oa + g];
            }
        } else if (op == BINARY_D) {
            for (int g = first; g < n; g += stride) {
                binaryDouble(g);
            }
        } else if (op == MAXPOOL_ARGMAX_F) {
            for (int g = first; g < n; g += stride) {
                maxPoolArgmax(g);
            }
        } else if (op == MAXPOOL_BACKWARD_ARGMAX_F) {
            for (int g = first; g < n; g += stride) {
                maxPoolBackwardArgmax(g);
            }
        } else if (op == MAXPOOL_BACKWARD_WINDOWS_F) {
            for (int g = first; g < n; g += stride) {
                maxPoolBackwardWindow(g);
            }
        } else if (op == CONV_WEIGHT_SLICES_F) {
            for (int g = first; g < n; g += stride) {
                convWeightSlice(g);
            }
        } else if (op == CONV_WEIGHT_3X3_SLICES_F) {
            for (int g = first; g < n; g += stride) {
                convWeight3x3Slice(g);
            }
        } else if (op == SUM_PARTS_BATCH_F) {
            sumPartsSlot(first, stride, oa, ob, oc, od);
            sumPartsSlot(first, stride, oy, oz, ow, i0);
            sumPartsSlot(first, stride, i1, i2, i3, i4);
            sumPartsSlot(first, stride, i5, i6, sa0, sa1);
            sumPartsSlot(first, stride, sa2, sa3, sa4, sa5);
            sumPartsSlot(first, stride, sb0, sb1, sb2, sb3);
            sumPartsSlot(first, stride, sb4, sb5, sy0, sy1);
            sumPartsSlot(first, stride, sy2, sy3, sy4, sy5);
            sumPartsSlot(first, stride, r0, r1, r2, r3);
            sumPartsSlot(first, stride, r4, r5, tileWidth, tileRows);
        } else if (op == RUNNING_STATS_BATCH) {
            runningStatsSlot(first, stride, oa, ob, oc, od, oy, oz, ow, x1);
            runningStatsSlot(first, stride, i0, i1, i2, i3, i4, i5, i6, x2);
            runningStatsSlot(first, stride, sa0, sa1, sa2, sa3, sa4, sa5, sb0, x3);
            runningStatsSlot(first, stride, sb1, sb2, sb3, sb4, sb5, sy0, sy1, x4);
            runningStatsSlot(first, stride, sy2, sy3, sy4, sy5, r0, r1, r2, x5);
        } else if (op == PROBE_F || op == PROBE_D) {
            probeSegment(first, stride, oa, ob);
            probeSegment(first, stride, oc, od);
            probeSegment(first, stride, oz, ow);
            probeSegment(first, stride, i0, i1);
            probeSegment(first, stride, i2, i3);
            probeSegment(first, stride, i4, i5);
            probeSegment(first, stride, i6, sa0);
            probeSegment(first, stride, sa1, sa2);
            probeSegment(first, stride, sa3, sa4);
            probeSegment(first, stride, sa5, sb0);
            probeSegment(first, stride, sb1, sb2);
            probeSegment(first, stride, sb3, sb4);
            probeSegment(first, stride, sb5, sy0);
            probeSegment(first, stride, sy1, sy2);
            probeSegment(first, stride, sy3, sy4);
            probeSegment(first, stride, sy5, r0);
            probeSegment(first, stride, r1, r2);
            probeSegment(first, stride, r3, r4);
            probeSegment(first, stride, r5, tileWidth);
        }
    }

    /**
     * The final sums of one weight gradient of a {@link #SUM_PARTS_BATCH_F} launch: y[e] at arena offset {@code out} (float) = Σ_b parts[e·slices + b] in double, b ascending, parts at
     * {@code parts} (double), elements first, first + stride, … below size; an unused slot has size 0. A launch
     * finishes up to {@link #SUM_PARTS_SLOTS} weight gradients (four packed ints each, {@link #setPacked}).
     */
    void sumPartsSlot(int first, int stride, int parts, int out, int size, int slices) {
        for (int e = first; e < size; e += stride) {
            double s = 0;
            for (int b = 0; b < slices; b++) {
                s += d[parts + e * slices + b];
            }
            f[out + e] = (float) s;
        }
    }

    /**
     * Batch norm's running statistics, in double as nn.BatchNorm2d always did, mean′ = (1 − m)·mean + m·μ, var′ =
     * (1 − m)·var + m·σ²·M/(M − 1), for one layer of a {@link #RUNNING_STATS_BATCH} launch: running mean and var at
     * rm, rv (f) → mean2, var2 (f), the batch's μ, σ² at bm, bv (d), c channels, M = count values per channel (a
     * double argument), momentum x0; channels first, first + stride, …; an unused slot has c = 0. A launch updates up
     * to {@link #RUNNING_STATS_SLOTS} layers (seven packed ints each, {@link #setPacked}; counts in x1 … x5).
     */
    void runningStatsSlot(int first, int stride, int rm, int rv, int bm, int bv, int mean2, int var2, int c,
                          double count) {
        double m = x0;
        for (int ch = first; ch < c; ch += stride) {
            f[mean2 + ch] = (float) ((1 - m) * f[rm + ch] + m * d[bm + ch]);
            f[var2 + ch] = (float) ((1 - m) * f[rv + ch] + m * d[bv + ch] * count / (count - 1));
        }
    }

    /**
     * The non-finite probe over one tensor of a probe launch: its {@code size} elements at arena offset
     * {@code offset} (in f for PROBE_F, in d for PROBE_D), a grid-stride loop like every per-element op; an unused
     * slot has size 0. A launch probes up to {@link #PROBE_SLOTS} tensors: (offset, size) pairs of packed ints
     * ({@link #setProbeSlots}).
     */
    void probeSegment(int first, int stride, int offset, int size) {
        if (op == PROBE_F) {
            for (int g = first; g < size; g += stride) {
                nonFiniteMark(f[offset + g] * x0);
            }
        } else {
            for (int g = first; g < size; g += stride) {
                nonFiniteMark(d[offset + g] * x0);
            }
        }
    }

    /**
     * The non-finite probe: zeroed is an element times x0 = 0, which is ±0 for a finite element and NaN otherwise;
     * a NaN is written to the probe's value at oy (items that find one all write a NaN, so their order does not
     * matter). The 0 comes as an argument, so no compiler folds the product away.
     */
    void nonFiniteMark(double zeroed) {
        if (zeroed != 0) {
            f[oy] = (float) zeroed;
        }
    }

    /** Σ_i c_i·s_i for the coordinates c of flat index g in the iteration space r0..r5 (r5 fastest). */
    int strided(int g, int s0, int s1, int s2, int s3, int s4, int s5) {
        int q = g;
        int off = (q % r5) * s5;
        q = q / r5;
        off += (q % r4) * s4;
        q = q / r4;
        off += (q % r3) * s3;
        q = q / r3;
        off += (q % r2) * s2;
        q = q / r2;
        off += (q % r1) * s1;
        q = q / r1;
        off += q * s0;
        return off;
    }

    /**
     * y = op(a, b) with broadcasting by strides (0 along broadcast dims); i1/i2 = 1: a/b is the scalar x1/x2;
     * i3 bit 0/1: a/b has the result's shape (element g, no index arithmetic).
     */
    void binary(int g) {
        double a = x1;
        double b = x2;
        if (i1 == 0) {
            a = f[oa + operandIndex(g, 1, sa0, sa1, sa2, sa3, sa4, sa5)];
        }
        if (i2 == 0) {
            b = f[ob + operandIndex(g, 2, sb0, sb1, sb2, sb3, sb4, sb5)];
        }
        f[oy + g] = (float) binaryOp(i0, a, b);
    }

    /** Element g's offset in an operand: g itself if i3 has {@code sameShapeBit}, else through its strides. */
    int operandIndex(int g, int sameShapeBit, int s0, int s1, int s2, int s3, int s4, int s5) {
        int at = g;
        if ((i3 & sameShapeBit) == 0) {
            at = strided(g, s0, s1, s2, s3, s4, s5);
        }
        return at;
    }

    /** y = op(a, b) on the double arena, as {@link #binary} (FLOAT64 tensors already on the device). */
    void binaryDouble(int g) {
        double a = x1;
        double b = x2;
        if (i1 == 0) {
            a = d[oa + operandIndex(g, 1, sa0, sa1, sa2, sa3, sa4, sa5)];
        }
        if (i2 == 0) {
            b = d[ob + operandIndex(g, 2, sb0, sb1, sb2, sb3, sb4, sb5)];
        }
        d[oy + g] = binaryOp(i0, a, b);
    }

    /** The {@code BinaryOp} with ordinal k, in double. */
    double binaryOp(int k, double a, double b) {
        double v = 0;
        if (k == 0) {
            v = a + b;
        } else if (k == 1) {
            v = a - b;
        } else if (k == 2) {
            v = a * b;
        } else if (k == 3) {
            v = a / b;
        } else if (k == 4) {
            v = pow(a, b);
        } else if (k == 5) {
            v = max(a, b);
        } else if (k == 6) {
            v = min(a, b);
        } else if (k == 7) {
            v = a > b ? 1 : 0;
        } else if (k == 8) {
            v = a >= b ? 1 : 0;
        } else if (k == 9) {
            v = a < b ? 1 : 0;
        } else if (k == 10) {
            v = a <= b ? 1 : 0;
        } else if (k == 11) {
            v = a == b ? 1 : 0;
        }
        return v;
    }

    /** The {@code UnaryOp} with ordinal k at x (p: POW's exponent), in double. */
    double unary(int k, double x, double p) {
        double v = 0;
        if (k == 0) {
            v = -x;
        } else if (k == 1) {
            v = exp(x);
        } else if (k == 2) {
            v = log(x);
        } else if (k == 3) {
            v = sqrt(x);
        } else if (k == 4) {
            v = abs(x);
        } else if (k == 5) {
            v = x > 0 ? 1 : (x < 0 ? -1 : x);
        } else if (k == 6) {
            v = x > 0 ? x : 0;
        } else if (k == 7) {
            v = x > 0 ? 1 : 0;
        } else if (k == 8) {
            v = x * x;
        } else if (k == 9) {
            v = pow(x, p);
        }
        return v;
    }

    /**
     * Output element g: kept coordinates from r0..r5 with input strides sa; i1 reduced elements enumerated over the
     * space (sb-dims = i2.., see DeviceOps.reduce) as offsets through sy strides, in row-major order: runs along the
     * last reduced dim (sb5 elements, stride sy5), each run's offset found once. i0: 0 sum (in double), 1 max.
     */
    void reduce(int g) {
        int base = oa + strided(g, sa0, sa1, sa2, sa3, sa4, sa5);
        double acc = 0;
        if (i0 == 1) {
            acc = f[base];
        }
        int runs = i1 / sb5;
        for (int run = 0; run < runs; run++) {
            int q = run;
            int off = (q % sb4) * sy4;
            q = q / sb4;
            off += (q % sb3) * sy3;
            q = q / sb3;
            off += (q % sb2) * sy2;
            q = q / sb2;
            off += (q % sb1) * sy1;
            q = q / sb1;
            off += q * sy0;
            for (int t = 0; t < sb5; t++) {
                double v = f[base + off + t * sy5];
                if (i0 == 0) {
                    acc += v;
                } else if (v > acc || v != v) {
                    acc = v;
                }
            }
        }
        f[oy + g] = (float) acc;
    }

    /** z[b,i,j] = Σ_p a[b,i,p]·y[b,p,j], in float in order of p; i0 = m, i1 = k, i2 = n. */
    void matmul(int g) {
        int m = i0;
        int k = i1;
        int cols = i2;
        int j = g % cols;
        int row = g / cols;
        int b = row / m;
        int aBase = oa + row * k;
        int yBase = ob + b * k * cols + j;
        float s = 0f;
        for (int p = 0; p < k; p++) {
            s += f[aBase + p] * f[yBase + p * cols];
        }
        f[oy + g] = s;
    }

    /**
     * y[n,o,i,j] = bias[o] + Σ_c Σ_{u,v} w[o,c,u,v]·x[n,c,i+u−p,j+v−p] in float; i0 = c, i1 = h, i2 = w, i3 = o,
     * i4 = k, bias in f at oc; i5: bit 0 circular, bit 1 bias present, bit 3 continue the sums in f at od (conv2dAccumulate), bit 2 weights read flipped and transposed (the gradient
     * w.r.t. x: w′[o,c,u,v] = w[c,o,k−1−u,k−1−v]).
     */
    void conv(int g) {
        int c = i0;
        int h = i1;
        int wd = i2;
        int o = i3;
        int k = i4;
        int j = g % wd;
        int i = (g / wd) % h;
        int och = (g / (wd * h)) % o;
        int b = g / (wd * h * o);
        int p = k / 2;
        float s = 0f;
        if ((i5 & 2) != 0) {
            s = f[oc + och];
        }
        if ((i5 & 8) != 0) {
            s = f[od + g];
        }
        for (int ci = 0; ci < c; ci++) {
            int xBase = oa + (b * c + ci) * h * wd;
            for (int u = 0; u < k; u++) {
                int si = source(i + u - p, h);
                if (si >= 0) {
                    for (int v = 0; v < k; v++) {
                        int sj = source(j + v - p, wd);
                        if (sj >= 0) {
                            int wi = ob + ((och * c + ci) * k + u) * k + v;
                            if ((i5 & 4) != 0) {
                                wi = ob + ((ci * o + och) * k + (k - 1 - u)) * k + (k - 1 - v);
                            }
                            s += f[wi] * f[xBase + si * wd + sj];
                        }
                    }
                }
            }
        }
        f[oy + g] = s;
    }


    /** Row/column s inside [0, size): wrapped if i5 bit 0 (circular), else −1 for a padding zero. */
    int source(int s, int size) {
        int r = s;
        if (s < 0 || s >= size) {
            r = -1;
            if ((i5 & 1) != 0) {
                r = ((s % size) + size) % size;
            }
        }
        return r;
    }

    /**
     * Adam for one parameter of an {@link #ADAM_F} launch, elements first, first + stride, … below size (a grid-stride
     * loop): θ at p (float), g at g (float), m and v at m and v (double); the new θ, m and v at p2 (float), m2 and v2
     * (double). x0 = lr, x1 = β₁, x2 = β₂, x3 = ε, x4 = 1 − β₁ᵗ, x5 = 1 − β₂ᵗ; in double, θ rounded once (the CPU
     * backend's loop). A launch updates up to {@link #ADAM_SLOTS} parameters ({@link #setAdamSlots}); an unused
     * slot has size 0.
     */
    void adamSlot(int first, int stride, int p, int g, int m, int v, int p2, int m2, int v2, int size) {
        for (int e = first; e < size; e += stride) {
            double gr = f[g + e];
            double mm = x1 * d[m + e] + (1 - x1) * gr;
            double vv = x2 * d[v + e] + (1 - x2) * gr * gr;
            double theta = f[p + e];
            theta -= x0 * (mm / x4) / (sqrt(vv / x5) + x3);
            d[m2 + e] = mm;
            d[v2 + e] = vv;
            f[p2 + e] = (float) theta;
        }
    }

    /** Flat index of the first maximum (strict >) of window (i, j) of plane pl; i0 = h, i1 = w, i2 = size. */
    int argmax(int pl, int i, int j) {
        int h = i0;
        int w = i1;
        int size = i2;
        int best = oa + pl * h * w + i * size * w + j * size;
        for (int u = 0; u < size; u++) {
            for (int v = 0; v < size; v++) {
                int at = oa + pl * h * w + (i * size + u) * w + j * size + v;
                if (f[at] > f[best]) {
                    best = at;
                }
            }
        }
        return best;
    }

    /** gx[e] = gy[window of e] if e is its window's argmax, else 0; work item per input element (no scatter). */
    void maxPoolBackward(int g) {
        int h = i0;
        int w = i1;
        int size = i2;
        int c = g % w;
        int r = (g / w) % h;
        int pl = g / (w * h);
        int ow = w / size;
        int oh = h / size;
        float v = 0f;
        if (argmax(pl, r / size, c / size) == oa + g) {
            v = f[ob + (pl * oh + r / size) * ow + c / size];
        }
        f[oy + g] = v;
    }

    /** Source position along an axis of length n for output position dd: max(0, (dd + 0.5)/2 − 0.5). */
    double upSource(int dd) {
        return max(0.0, (dd + 0.5) / 2.0 - 0.5);
    }

    /**
     * Bilinear ×2, align_corners=False, in double (i0 = h, i1 = w), one work group per i2 planes (of i3; a small
     * plane alone is too little work for a group): per plane, item l takes column
     * j = l mod 2w and every R-th output row from l div 2w (R = max(1, L div 2w) rows in flight; with 2w &gt; L each
     * item walks columns l, l + L, …). The column's source positions and weights are set once per item, a row's
     * once per row, so no element divides its index; the value is the same expression as before, so the same bits.
     * Items along a row read and write neighbouring addresses.
     */
    void upsampleGroups() {
        int h = i0;
        int w = i1;
        int ow = 2 * w;
        int oh = 2 * h;
        int lid = getLocalId(0);
        int size = getLocalSize(0);
        int rowsAtOnce = max(1, size / ow);
        int phase = lid / ow;
        int firstPlane = getGroupId(0) * i2;
        int endPlane = min(i3, firstPlane + i2);
        for (int pl = firstPlane; pl < endPlane && phase < rowsAtOnce; pl++) {
            int base = oa + pl * h * w;
            int out = oy + pl * oh * ow;
            for (int j = lid - phase * ow; j < ow; j += size) {
                double sc = upSource(j);
                int c0 = (int) sc;
                int c1 = min(c0 + 1, w - 1);
                double b1 = sc - c0;
                double b0 = 1.0 - b1;
                for (int i = phase; i < oh; i += rowsAtOnce) {
                    double sr = upSource(i);
                    int r0 = (int) sr;
                    int r1 = min(r0 + 1, h - 1);
                    double a1 = sr - r0;
                    double a0 = 1.0 - a1;
                    double v = a0 * (b0 * f[base + r0 * w + c0] + b1 * f[base + r0 * w + c1])
                            + a1 * (b0 * f[base + r1 * w + c0] + b1 * f[base + r1 * w + c1]);
                    f[out + i * ow + j] = (float) v;
                }
            }
        }
    }

    /** Weight of input position r in output position dd's interpolation along an axis of length n. */
    double upWeight(int dd, int r, int n) {
        double src = upSource(dd);
        int lo = (int) src;
        int hi = min(lo + 1, n - 1);
        double frac = src - lo;
        double wt = 0;
        if (lo == r) {
            wt += 1.0 - frac;
        }
        if (hi == r) {
            wt += frac;
        }
        return wt;
    }

    /**
     * The adjoint of {@link #upsampleGroups} as a gather: gx[pl, r, c] = Σ_{i,j} a_i(r)·b_j(c)·gy[pl, i, j] over the
     * output rows 2r−2 … 2r+2 and columns 2c−2 … 2c+2 (the only ones that read r and c), in double, i and j
     * ascending, terms with a zero weight skipped. One work group per i2 planes (of i3), items over (column, row) of
     * gx as in
     * {@link #upsampleGroups}: an item sets its column's five weights once (zero outside the image), a row's once
     * per row.
     */
    void upsampleAdjointGroups() {
        int h = i0;
        int w = i1;
        int ow = 2 * w;
        int oh = 2 * h;
        int lid = getLocalId(0);
        int size = getLocalSize(0);
        int rowsAtOnce = max(1, size / w);
        int phase = lid / w;
        int firstPlane = getGroupId(0) * i2;
        int endPlane = min(i3, firstPlane + i2);
        for (int pl = firstPlane; pl < endPlane && phase < rowsAtOnce; pl++) {
            int in = oa + pl * oh * ow;
            int out = oy + pl * h * w;
            for (int c = lid - phase * w; c < w; c += size) {
                int j0 = 2 * c - 2;
                double b0 = adjointWeight(j0, c, w);
                double b1 = adjointWeight(j0 + 1, c, w);
                double b2 = adjointWeight(j0 + 2, c, w);
                double b3 = adjointWeight(j0 + 3, c, w);
                double b4 = adjointWeight(j0 + 4, c, w);
                for (int r = phase; r < h; r += rowsAtOnce) {
                    double s = 0;
                    for (int i = max(0, 2 * r - 2); i <= min(oh - 1, 2 * r + 2); i++) {
                        double a = upWeight(i, r, h);
                        if (a != 0) {
                            int row = in + i * ow + j0;
                            if (b0 != 0) {
                                s += a * b0 * f[row];
                            }
                            if (b1 != 0) {
                                s += a * b1 * f[row + 1];
                            }
                            if (b2 != 0) {
                                s += a * b2 * f[row + 2];
                            }
                            if (b3 != 0) {
                                s += a * b3 * f[row + 3];
                            }
                            if (b4 != 0) {
                                s += a * b4 * f[row + 4];
                            }
                        }
                    }
                    f[out + r * w + c] = (float) s;
                }
            }
        }
    }

    /** {@link #upWeight}(j, c, w) for an output column j inside 0 … 2w − 1, else 0 (a column the sum skips). */
    double adjointWeight(int j, int c, int w) {
        double b = 0;
        if (j >= 0 && j < 2 * w) {
            b = upWeight(j, c, w);
        }
        return b;
    }

    /** g, or g·[reluOutput &gt; 0] when i3 ≠ 0 (reluOutput at oc). */
    double maskedGrad(int e) {
        double gv = f[ob + e];
        if (i3 != 0 && !(f[oc + e] > 0)) {
            gv = 0;
        }
        return gv;
    }



    /**
     * x (outer, len, inner) padded along the middle axis to i0 = P positions: position p reads source p − before
     * (i2), wrapped mod len (i3) if i4 ≠ 0, else a zero outside; i1 = inner.
     */
    void pad(int g) {
        int inner = i1;
        int in = g % inner;
        int p = (g / inner) % i0;
        int o = g / (inner * i0);
        int src = p - i2;
        float v = 0f;
        if (i4 != 0) {
            src = ((src % i3) + i3) % i3;
        }
        if (src >= 0 && src < i3) {
            v = f[oa + (o * i3 + src) * inner + in];
        }
        f[oy + g] = v;
    }

    /** gx[o, s, in] = Σ over padded positions p that copied s, in increasing p, in double (see {@link #pad}). */
    void padAdjoint(int g) {
        int inner = i1;
        int len = i3;
        int in = g % inner;
        int s = (g / inner) % len;
        int o = g / (inner * len);
        double acc = 0;
        int p = s + i2;
        if (i4 != 0) {
            p = (s + i2) % len;
        }
        while (p < i0) {
            acc += f[ob + (o * i0 + p) * inner + in];
            p = p + len;
            if (i4 == 0) {
                p = i0;
            }
        }
        f[oy + g] = (float) acc;
    }

    // ------------------------------------------------------------------ work-group ops (local memory, barriers)
    // Every work item of a launch reaches every barrier: items outside the data only skip their loads and stores.

    /** The work-group op {@link #op}; launched over whole groups (see {@link DeviceArena#launchGroups}). */
    void groupOp() {
        if (op == CONV_TILED_F) {
            convTiled();
        } else if (op == BN_FORWARD_GROUPS_F) {
            batchNormForwardGroups();
        } else if (op == BN_BACKWARD_GROUPS_F) {
            batchNormBackwardGroups();
        } else if (op == REDUCE_SUM_GROUPS_F) {
            reduceSumGroups();
        } else if (op == CONV_WEIGHT_TILED_F) {
            convWeightTiled();
        } else if (op == UPSAMPLE_GROUPS_F) {
            upsampleGroups();
        } else if (op == UPSAMPLE_ADJOINT_GROUPS_F) {
            upsampleAdjointGroups();
        } else if (op == CHANNEL_SUMS_BATCH_F) {
            channelSumsBatch();
        }
    }

    /**
     * The convolution of {@link #conv} (same parameters and flags, same order of the float sums: bias or the
     * accumulated value, then c, u, v ascending), tiled for a GPU. A work group computes a tile of output pixels,
     * {@link #tileRows} rows of the (n·h) row space by {@link #tileWidth} columns, {@link #pixelsPerItem}
     * neighbouring pixels per item, for CONV_OUT_BLOCK output channels at once. Per chunk of input channels the
     * group first loads, for each tile row, the k input rows it reads (tile width + k − 1 values each, padding
     * resolved at the load) and the chunk's weights into local memory; after a barrier every item sums from local
     * memory only. Group id =
     * (row tile·outBlocks + output-channel block)·tilesAcross + column tile; i6 = n. A padding zero enters the sum
     * as w·0 (the reference skips it; the same value for finite weights).
     */
    void convTiled() {
        int c = i0;
        int h = i1;
        int wd = i2;
        int o = i3;
        int k = i4;
        int p = k / 2;
        int kk = k * k;
        int lid = getLocalId(0);
        int items = getLocalSize(0);
        int tw = tileWidth;
        int rows = tileRows;
        int gid = getGroupId(0);
        int left = (gid % tilesAcross) * tw;
        int rest = gid / tilesAcross;
        int firstOut = (rest % outBlocks) * CONV_OUT_BLOCK;
        int firstRow = (rest / outBlocks) * rows;
        int allRows = i6 * h;
        int perItem = pixelsPerItem;
        int itemsPerRow = (tw + perItem - 1) / perItem;
        int lr = lid / itemsPerRow;
        int lc = (lid - lr * itemsPerRow) * perItem;
        int row = firstRow + lr;
        int b = row / h;
        int i = row - b * h;
        int j = left + lc;
        int ew = tw + k - 1;
        // Tile rows of one input channel: k input rows per output row, or (tileShared: the tile lies in one image)
        // the rows + k − 1 distinct input rows, which neighbouring output rows share.
        int rowBlock = k * ew;
        int rowsPerChannel = rows * k;
        if (tileShared != 0) {
            rowBlock = ew;
            rowsPerChannel = rows + k - 1;
        }
        int perChannel = rowsPerChannel * ew;
        int blockWeights = CONV_OUT_BLOCK * kk;
        boolean inside = lr < rows && row < allRows && j < wd;
        boolean inside2 = inside && perItem == 2 && j + 1 < wd;
        int plane = h * wd;
        int at = ((b * o + firstOut) * h + i) * wd + j;
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        float s4 = 0f;
        float s5 = 0f;
        float s6 = 0f;
        float s7 = 0f;
        float s8 = 0f;
        float s9 = 0f;
        float s10 = 0f;
        float s11 = 0f;
        float s12 = 0f;
        float s13 = 0f;
        float s14 = 0f;
        float s15 = 0f;
        if (inside) {
            s0 = initialSum(at, firstOut);
            s1 = initialSum(at + plane, firstOut + 1);
            s2 = initialSum(at + 2 * plane, firstOut + 2);
            s3 = initialSum(at + 3 * plane, firstOut + 3);
            s4 = initialSum(at + 4 * plane, firstOut + 4);
            s5 = initialSum(at + 5 * plane, firstOut + 5);
            s6 = initialSum(at + 6 * plane, firstOut + 6);
            s7 = initialSum(at + 7 * plane, firstOut + 7);
            s8 = initialSum(at + 8 * plane, firstOut + 8);
            s9 = initialSum(at + 9 * plane, firstOut + 9);
            s10 = initialSum(at + 10 * plane, firstOut + 10);
            s11 = initialSum(at + 11 * plane, firstOut + 11);
            s12 = initialSum(at + 12 * plane, firstOut + 12);
            s13 = initialSum(at + 13 * plane, firstOut + 13);
            s14 = initialSum(at + 14 * plane, firstOut + 14);
            s15 = initialSum(at + 15 * plane, firstOut + 15);
        }
        float t0 = 0f;
        float t1 = 0f;
        float t2 = 0f;
        float t3 = 0f;
        float t4 = 0f;
        float t5 = 0f;
        float t6 = 0f;
        float t7 = 0f;
        float t8 = 0f;
        float t9 = 0f;
        float t10 = 0f;
        float t11 = 0f;
        float t12 = 0f;
        float t13 = 0f;
        float t14 = 0f;
        float t15 = 0f;
        if (inside2) {
            t0 = initialSum(at + 1, firstOut);
            t1 = initialSum(at + 1 + plane, firstOut + 1);
            t2 = initialSum(at + 1 + 2 * plane, firstOut + 2);
            t3 = initialSum(at + 1 + 3 * plane, firstOut + 3);
            t4 = initialSum(at + 1 + 4 * plane, firstOut + 4);
            t5 = initialSum(at + 1 + 5 * plane, firstOut + 5);
            t6 = initialSum(at + 1 + 6 * plane, firstOut + 6);
            t7 = initialSum(at + 1 + 7 * plane, firstOut + 7);
            t8 = initialSum(at + 1 + 8 * plane, firstOut + 8);
            t9 = initialSum(at + 1 + 9 * plane, firstOut + 9);
            t10 = initialSum(at + 1 + 10 * plane, firstOut + 10);
            t11 = initialSum(at + 1 + 11 * plane, firstOut + 11);
            t12 = initialSum(at + 1 + 12 * plane, firstOut + 12);
            t13 = initialSum(at + 1 + 13 * plane, firstOut + 13);
            t14 = initialSum(at + 1 + 14 * plane, firstOut + 14);
            t15 = initialSum(at + 1 + 15 * plane, firstOut + 15);
        }
        int stepRows = items / ew;
        int stepCols = items - stepRows * ew;
        for (int e = lid; e < ew; e += items) {
            localColumns[e] = source(left + e - p, wd);
        }
        for (int c0 = 0; c0 < c; c0 += chunk) {
            int cc = min(chunk, c - c0);
            int tileRowCount = cc * rowsPerChannel;
            for (int e = lid; e < tileRowCount; e += items) {
                int rb = 0;
                if (tileShared != 0) {
                    rb = sharedTileRowBase(e, c0, firstRow, rows);
                } else {
                    rb = tileRowBase(e, c0, firstRow, rows);
                }
                localRowBase[e] = rb;
            }
            localBarrier();
            int tileRow = lid / ew;
            int col = lid - tileRow * ew;
            for (int e = lid; e < tileRowCount * ew; e += items) {
                int base = localRowBase[tileRow];
                int sj = localColumns[col];
                float v = 0f;
                if (base >= 0 && sj >= 0) {
                    v = f[base + sj];
                }
                localTile[e] = v;
                tileRow += stepRows;
                col += stepCols;
                if (col >= ew) {
                    col -= ew;
                    tileRow++;
                }
            }
            for (int e = lid; e < cc * blockWeights; e += items) {
                int ci = e / blockWeights;
                int r = e - ci * blockWeights;
                int uv = r / CONV_OUT_BLOCK;
                int q = r - uv * CONV_OUT_BLOCK;
                int och = firstOut + q;
                float wv = 0f;
                if (och < o) {
                    int wi = ob + (och * c + c0 + ci) * kk + uv;
                    if ((i5 & 4) != 0) {
                        wi = ob + ((c0 + ci) * o + och) * kk + kk - 1 - uv;
                    }
                    wv = f[wi];
                }
                localWeights[e] = wv;
            }
            localBarrier();
            if (inside && k == 3 && perItem == 2) {
                for (int ci = 0; ci < cc; ci++) {
                    int xb = ci * perChannel + lr * rowBlock + lc;
                    float x0 = localTile[xb];
                    float x1 = localTile[xb + 1];
                    float x2 = localTile[xb + 2];
                    float y2 = localTile[xb + 3];
                    float x3 = localTile[xb + ew];
                    float x4 = localTile[xb + ew + 1];
                    float x5 = localTile[xb + ew + 2];
                    float y5 = localTile[xb + ew + 3];
                    float x6 = localTile[xb + 2 * ew];
                    float x7 = localTile[xb + 2 * ew + 1];
                    float x8 = localTile[xb + 2 * ew + 2];
                    float y8 = localTile[xb + 2 * ew + 3];
                    int wb = ci * blockWeights;
                    s0 = taps3x3(s0, wb, 0, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    t0 = taps3x3(t0, wb, 0, x1, x2, y2, x4, x5, y5, x7, x8, y8);
                    s1 = taps3x3(s1, wb, 1, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    t1 = taps3x3(t1, wb, 1, x1, x2, y2, x4, x5, y5, x7, x8, y8);
                    s2 = taps3x3(s2, wb, 2, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    t2 = taps3x3(t2, wb, 2, x1, x2, y2, x4, x5, y5, x7, x8, y8);
                    s3 = taps3x3(s3, wb, 3, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    t3 = taps3x3(t3, wb, 3, x1, x2, y2, x4, x5, y5, x7, x8, y8);
                    s4 = taps3x3(s4, wb, 4, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    t4 = taps3x3(t4, wb, 4, x1, x2, y2, x4, x5, y5, x7, x8, y8);
                    s5 = taps3x3(s5, wb, 5, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    t5 = taps3x3(t5, wb, 5, x1, x2, y2, x4, x5, y5, x7, x8, y8);
                    s6 = taps3x3(s6, wb, 6, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    t6 = taps3x3(t6, wb, 6, x1, x2, y2, x4, x5, y5, x7, x8, y8);
                    s7 = taps3x3(s7, wb, 7, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    t7 = taps3x3(t7, wb, 7, x1, x2, y2, x4, x5, y5, x7, x8, y8);
                    s8 = taps3x3(s8, wb, 8, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    t8 = taps3x3(t8, wb, 8, x1, x2, y2, x4, x5, y5, x7, x8, y8);
                    s9 = taps3x3(s9, wb, 9, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    t9 = taps3x3(t9, wb, 9, x1, x2, y2, x4, x5, y5, x7, x8, y8);
                    s10 = taps3x3(s10, wb, 10, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    t10 = taps3x3(t10, wb, 10, x1, x2, y2, x4, x5, y5, x7, x8, y8);
                    s11 = taps3x3(s11, wb, 11, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    t11 = taps3x3(t11, wb, 11, x1, x2, y2, x4, x5, y5, x7, x8, y8);
                    s12 = taps3x3(s12, wb, 12, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    t12 = taps3x3(t12, wb, 12, x1, x2, y2, x4, x5, y5, x7, x8, y8);
                    s13 = taps3x3(s13, wb, 13, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    t13 = taps3x3(t13, wb, 13, x1, x2, y2, x4, x5, y5, x7, x8, y8);
                    s14 = taps3x3(s14, wb, 14, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    t14 = taps3x3(t14, wb, 14, x1, x2, y2, x4, x5, y5, x7, x8, y8);
                    s15 = taps3x3(s15, wb, 15, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    t15 = taps3x3(t15, wb, 15, x1, x2, y2, x4, x5, y5, x7, x8, y8);
                }
            } else if (inside && k == 3) {
                for (int ci = 0; ci < cc; ci++) {
                    int xb = ci * perChannel + lr * rowBlock + lc;
                    float x0 = localTile[xb];
                    float x1 = localTile[xb + 1];
                    float x2 = localTile[xb + 2];
                    float x3 = localTile[xb + ew];
                    float x4 = localTile[xb + ew + 1];
                    float x5 = localTile[xb + ew + 2];
                    float x6 = localTile[xb + 2 * ew];
                    float x7 = localTile[xb + 2 * ew + 1];
                    float x8 = localTile[xb + 2 * ew + 2];
                    int wb = ci * blockWeights;
                    s0 = taps3x3(s0, wb, 0, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    s1 = taps3x3(s1, wb, 1, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    s2 = taps3x3(s2, wb, 2, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    s3 = taps3x3(s3, wb, 3, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    s4 = taps3x3(s4, wb, 4, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    s5 = taps3x3(s5, wb, 5, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    s6 = taps3x3(s6, wb, 6, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    s7 = taps3x3(s7, wb, 7, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    s8 = taps3x3(s8, wb, 8, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    s9 = taps3x3(s9, wb, 9, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    s10 = taps3x3(s10, wb, 10, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    s11 = taps3x3(s11, wb, 11, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    s12 = taps3x3(s12, wb, 12, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    s13 = taps3x3(s13, wb, 13, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    s14 = taps3x3(s14, wb, 14, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                    s15 = taps3x3(s15, wb, 15, x0, x1, x2, x3, x4, x5, x6, x7, x8);
                }
            } else if (inside) {
                for (int ci = 0; ci < cc; ci++) {
                    int xb = ci * perChannel + lr * rowBlock + lc;
                    int wb = ci * blockWeights;
                    for (int u = 0; u < k; u++) {
                        for (int v = 0; v < k; v++) {
                            float xv = localTile[xb + u * ew + v];
                            int wi = wb + (u * k + v) * CONV_OUT_BLOCK;
                            s0 += localWeights[wi] * xv;
                            s1 += localWeights[wi + 1] * xv;
                            s2 += localWeights[wi + 2] * xv;
                            s3 += localWeights[wi + 3] * xv;
                            s4 += localWeights[wi + 4] * xv;
                            s5 += localWeights[wi + 5] * xv;
                            s6 += localWeights[wi + 6] * xv;
                            s7 += localWeights[wi + 7] * xv;
                            s8 += localWeights[wi + 8] * xv;
                            s9 += localWeights[wi + 9] * xv;
                            s10 += localWeights[wi + 10] * xv;
                            s11 += localWeights[wi + 11] * xv;
                            s12 += localWeights[wi + 12] * xv;
                            s13 += localWeights[wi + 13] * xv;
                            s14 += localWeights[wi + 14] * xv;
                            s15 += localWeights[wi + 15] * xv;
                        }
                    }
                }
            }
            localBarrier();
        }
        // the stores written out here rather than in a method: sixteen float arguments made PoCL spill the
        // vector registers that hold the sums to the stack lane by lane (a sixth of the convolution's time)
        if (inside) {
            f[oy + at] = s0;
            if (firstOut + 1 < o) {
                f[oy + at + plane] = s1;
            }
            if (firstOut + 2 < o) {
                f[oy + at + 2 * plane] = s2;
            }
            if (firstOut + 3 < o) {
                f[oy + at + 3 * plane] = s3;
            }
            if (firstOut + 4 < o) {
                f[oy + at + 4 * plane] = s4;
            }
            if (firstOut + 5 < o) {
                f[oy + at + 5 * plane] = s5;
            }
            if (firstOut + 6 < o) {
                f[oy + at + 6 * plane] = s6;
            }
            if (firstOut + 7 < o) {
                f[oy + at + 7 * plane] = s7;
            }
            if (firstOut + 8 < o) {
                f[oy + at + 8 * plane] = s8;
            }
            if (firstOut + 9 < o) {
                f[oy + at + 9 * plane] = s9;
            }
            if (firstOut + 10 < o) {
                f[oy + at + 10 * plane] = s10;
            }
            if (firstOut + 11 < o) {
                f[oy + at + 11 * plane] = s11;
            }
            if (firstOut + 12 < o) {
                f[oy + at + 12 * plane] = s12;
            }
            if (firstOut + 13 < o) {
                f[oy + at + 13 * plane] = s13;
            }
            if (firstOut + 14 < o) {
                f[oy + at + 14 * plane] = s14;
            }
            if (firstOut + 15 < o) {
                f[oy + at + 15 * plane] = s15;
            }
        }
        if (inside2) {
            f[oy + at + 1] = t0;
            if (firstOut + 1 < o) {
                f[oy + at + 1 + plane] = t1;
            }
            if (firstOut + 2 < o) {
                f[oy + at + 1 + 2 * plane] = t2;
            }
            if (firstOut + 3 < o) {
                f[oy + at + 1 + 3 * plane] = t3;
            }
            if (firstOut + 4 < o) {
                f[oy + at + 1 + 4 * plane] = t4;
            }
            if (firstOut + 5 < o) {
                f[oy + at + 1 + 5 * plane] = t5;
            }
            if (firstOut + 6 < o) {
                f[oy + at + 1 + 6 * plane] = t6;
            }
            if (firstOut + 7 < o) {
                f[oy + at + 1 + 7 * plane] = t7;
            }
            if (firstOut + 8 < o) {
                f[oy + at + 1 + 8 * plane] = t8;
            }
            if (firstOut + 9 < o) {
                f[oy + at + 1 + 9 * plane] = t9;
            }
            if (firstOut + 10 < o) {
                f[oy + at + 1 + 10 * plane] = t10;
            }
            if (firstOut + 11 < o) {
                f[oy + at + 1 + 11 * plane] = t11;
            }
            if (firstOut + 12 < o) {
                f[oy + at + 1 + 12 * plane] = t12;
            }
            if (firstOut + 13 < o) {
                f[oy + at + 1 + 13 * plane] = t13;
            }
            if (firstOut + 14 < o) {
                f[oy + at + 1 + 14 * plane] = t14;
            }
            if (firstOut + 15 < o) {
                f[oy + at + 1 + 15 * plane] = t15;
            }
        }
    }

    /**
     * The convolution's starting value for output channel och at arena offset at (in the result's layout): the
     * bias (i5 bit 1) or the accumulated value (i5 bit 3, at od), 0 without either or past the last channel (i3).
     */
    float initialSum(int at, int och) {
        float s = 0f;
        if (och < i3) {
            if ((i5 & 2) != 0) {
                s = f[oc + och];
            }
            if ((i5 & 8) != 0) {
                s = f[od + at];
            }
        }
        return s;
    }

    /**
     * The arena offset of row e of {@link #convTiled}'s input tile for the chunk of channels from c0 (rows are
     * (channel, tile row, kernel row u) in that order), or −1 for a row of padding zeros or below the last image.
     */
    int tileRowBase(int e, int c0, int firstRow, int rows) {
        int c = i0;
        int h = i1;
        int k = i4;

        int ci = e / (rows * k);
        int r = e - ci * rows * k;
        int tr = r / k;
        int u = r - tr * k;
        int trow = firstRow + tr;
        int base = -1;
        if (trow < i6 * h) {
            int tb = trow / h;
            int si = source(trow - tb * h + u - k / 2, h);
            if (si >= 0) {
                base = oa + ((tb * c + c0 + ci) * h + si) * i2;
            }
        }
        return base;
    }

    /**
     * {@link #tileRowBase} for a tile inside one image ({@link #tileShared}): row e of the chunk from c0 is input row
     * v = e mod (rows + k − 1) of channel c0 + e / (rows + k − 1), the image row firstRow − p + v of the tile's
     * image (wrapped, or −1 for padding zeros); output row r of the tile reads rows r … r + k − 1.
     */
    int sharedTileRowBase(int e, int c0, int firstRow, int rows) {
        int c = i0;
        int h = i1;
        int k = i4;
        int per = rows + k - 1;
        int ci = e / per;
        int v = e - ci * per;
        int tb = firstRow / h;
        int si = source(firstRow - tb * h + v - k / 2, h);
        int base = -1;
        if (si >= 0) {
            base = oa + ((tb * c + c0 + ci) * h + si) * i2;
        }
        return base;
    }

    /**
     * s + Σ_{u,v} w[u,v]·x[u,v] over one 3×3 window in float, u then v ascending (the order of {@link #conv}), with
     * the nine weights of block channel q from localWeights at wb + q + 8·tap and the window's inputs x0 … x8 held
     * in registers. The index is written wb + (q + 8·tap) on purpose: with q a constant after inlining, the eight
     * channels' weights of a tap are wb + constant, which a CPU OpenCL compiler (PoCL's LLVM) sees as neighbours
     * and loads as one vector; (wb + q) + 8·tap became eight-lane gathers (twice the time per convolution).
     */
    float taps3x3(float s, int wb, int q, float x0, float x1, float x2, float x3, float x4, float x5, float x6,
                  float x7, float x8) {
        float t = s + localWeights[wb + q] * x0;
        t = t + localWeights[wb + (q + 16)] * x1;
        t = t + localWeights[wb + (q + 32)] * x2;
        t = t + localWeights[wb + (q + 48)] * x3;
        t = t + localWeights[wb + (q + 64)] * x4;
        t = t + localWeights[wb + (q + 80)] * x5;
        t = t + localWeights[wb + (q + 96)] * x6;
        t = t + localWeights[wb + (q + 112)] * x7;
        return t + localWeights[wb + (q + 128)] * x8;
    }

    /**
     * One slice of the weight gradient for up to {@link #WEIGHT_TAPS} neighbouring taps v0 … v0 + 4 of one kernel
     * row u: d[oy + (((o·c + c)·k + u)·k + v)·S + s] = Σ gy[n,o,i,j]·x[n,c,i+u−p,j+v−p] over the s-th of S equal
     * runs of the (n, i) rows, all columns j, each sum in float; each gy value read feeds all the taps. Work item
     * ((((o·c + c)·k + u)·B + block)·S + s with B = ⌈k/5⌉ blocks of taps, S = {@link #chunk}; i0 = n, i1 = c,
     * i2 = h, i3 = w, i4 = k, i5 bit 0 circular, i6 = o, x at oa, gy at ob. Many short independent sums keep the
     * device busy at every level of the U-Net; SUM_PARTS_BATCH_F then adds each weight's S sums. A padding zero enters
     * as gy·0.
     */
    void convWeightSlice(int g) {
        int nb = i0;
        int c = i1;
        int h = i2;
        int wd = i3;
        int k = i4;
        int o = i6;
        int slices = chunk;
        int blocks = (k + WEIGHT_TAPS - 1) / WEIGHT_TAPS;
        int part = g % slices;
        int rest = g / slices;
        int v0 = (rest % blocks) * WEIGHT_TAPS;
        int kernelRow = rest / blocks;
        int u = kernelRow % k;
        int ci = (kernelRow / k) % c;
        int och = kernelRow / (k * c);
        int taps = min(WEIGHT_TAPS, k - v0);
        int p = k / 2;
        int rows = nb * h;
        int end = (int) ((long) rows * (part + 1) / slices);
        float t0 = 0f;
        float t1 = 0f;
        float t2 = 0f;
        float t3 = 0f;
        float t4 = 0f;
        for (int row = (int) ((long) rows * part / slices); row < end; row++) {
            int b = row / h;
            int i = row - b * h;
            int si = source(i + u - p, h);
            if (si >= 0) {
                int yBase = ob + ((b * o + och) * h + i) * wd;
                int xBase = oa + ((b * c + ci) * h + si) * wd;
                for (int j = 0; j < wd; j++) {
                    float gv = f[yBase + j];
                    int at = j + v0 - p;
                    t0 += gv * inputAt(xBase, at, wd);
                    if (taps > 1) {
                        t1 += gv * inputAt(xBase, at + 1, wd);
                    }
                    if (taps > 2) {
                        t2 += gv * inputAt(xBase, at + 2, wd);
                    }
                    if (taps > 3) {
                        t3 += gv * inputAt(xBase, at + 3, wd);
                    }
                    if (taps > 4) {
                        t4 += gv * inputAt(xBase, at + 4, wd);
                    }
                }
            }
        }
        int out = oy + (kernelRow * k + v0) * slices + part;
        d[out] = t0;
        if (taps > 1) {
            d[out + slices] = t1;
        }
        if (taps > 2) {
            d[out + 2 * slices] = t2;
        }
        if (taps > 3) {
            d[out + 3 * slices] = t3;
        }
        if (taps > 4) {
            d[out + 4 * slices] = t4;
        }
    }

    /**
     * {@link #convWeightSlice} for a 3×3 kernel with all nine taps of two output channels in one work item: item
     * ((o/2)·c + c)·S + s sums the s-th run of rows for the eighteen weights w[o, c, ·, ·] and w[o + 1, c, ·, ·] (o
     * even; the second only if o + 1 exists), so each gy value read feeds nine taps and each input value read (a
     * sliding 3-wide window per kernel row, in registers) feeds six. Each tap's float sum runs over
     * the same rows and columns in the same order as in {@link #convWeightSlice}, so the partial sums are the same.
     */
    void convWeight3x3Slice(int g) {
        int c = i1;
        int h = i2;
        int wd = i3;
        int o = i6;
        int slices = chunk;
        int part = g % slices;
        int pair = g / slices;
        int ci = pair % c;
        int och = (pair / c) * 2;
        boolean second = och + 1 < o;
        int rows = i0 * h;
        int end = (int) ((long) rows * (part + 1) / slices);
        float t00 = 0f;
        float t01 = 0f;
        float t02 = 0f;
        float t10 = 0f;
        float t11 = 0f;
        float t12 = 0f;
        float t20 = 0f;
        float t21 = 0f;
        float t22 = 0f;
        float u00 = 0f;
        float u01 = 0f;
        float u02 = 0f;
        float u10 = 0f;
        float u11 = 0f;
        float u12 = 0f;
        float u20 = 0f;
        float u21 = 0f;
        float u22 = 0f;
        for (int row = (int) ((long) rows * part / slices); row < end; row++) {
            int b = row / h;
            int i = row - b * h;
            int yBase = ob + ((b * o + och) * h + i) * wd;
            int yNext = yBase; // the second channel's row, or the first's again (its sums are then not stored)
            if (second) {
                yNext = yBase + h * wd;
            }
            int base0 = inputRowBase(b, ci, i - 1);
            int base1 = inputRowBase(b, ci, i);
            int base2 = inputRowBase(b, ci, i + 1);
            float a0 = inputRowAt(base0, -1, wd);
            float m0 = inputRowAt(base0, 0, wd);
            float a1 = inputRowAt(base1, -1, wd);
            float m1 = inputRowAt(base1, 0, wd);
            float a2 = inputRowAt(base2, -1, wd);
            float m2 = inputRowAt(base2, 0, wd);
            for (int j = 0; j < wd; j++) {
                float gv = f[yBase + j];
                float gu = f[yNext + j];
                int next = j + 1;
                if (next >= wd) {
                    next = source(next, wd);
                }
                float z0 = rowValue(base0, next);
                float z1 = rowValue(base1, next);
                float z2 = rowValue(base2, next);
                t00 += gv * a0;
                t01 += gv * m0;
                t02 += gv * z0;
                t10 += gv * a1;
                t11 += gv * m1;
                t12 += gv * z1;
                t20 += gv * a2;
                t21 += gv * m2;
                t22 += gv * z2;
                u00 += gu * a0;
                u01 += gu * m0;
                u02 += gu * z0;
                u10 += gu * a1;
                u11 += gu * m1;
                u12 += gu * z1;
                u20 += gu * a2;
                u21 += gu * m2;
                u22 += gu * z2;
                a0 = m0;
                m0 = z0;
                a1 = m1;
                m1 = z1;
                a2 = m2;
                m2 = z2;
            }
        }
        storeTaps3x3(oy + (och * c + ci) * 9 * slices + part, slices, t00, t01, t02, t10, t11, t12, t20, t21, t22);
        if (second) {
            storeTaps3x3(oy + ((och + 1) * c + ci) * 9 * slices + part, slices, u00, u01, u02, u10, u11, u12, u20,
                    u21, u22);
        }
    }

    /**
     * The slices of {@link #convWeight3x3Slice} for a 3×3 kernel (same parameters, the same partial sums in the same
     * order, so the same bits) as a work-group op. Group (s·oBlocks + block) stages gy of CONV_OUT_BLOCK output
     * channels over the s-th run of rows in local memory as [pixel][channel] (chunks of rows that fit; loaded
     * along x); item ci &lt; i1 sums all nine taps of input channel ci for the sixteen channels, 144 sums in
     * registers: per pixel a row of sixteen gy values times nine input values (nine independent vector chains on a
     * CPU device). Items past the channels only pass the barriers.
     */
    void convWeightTiled() {
        int c = i1;
        int h = i2;
        int wd = i3;
        int o = i6;
        int slices = chunk;
        // the row stride of the staged gy, CONV_OUT_BLOCK, read from a launch argument: with a compile-time 16
        // LLVM turned (pixel·16) + q into an or and loaded the sixteen neighbours by a gather
        int lanes = tileWidth;
        int lid = getLocalId(0);
        int items = getLocalSize(0);
        int gid = getGroupId(0);
        int blocks = (o + CONV_OUT_BLOCK - 1) / CONV_OUT_BLOCK;
        int part = gid / blocks;
        int och = (gid - part * blocks) * CONV_OUT_BLOCK;
        int rows = i0 * h;
        int first = (int) ((long) rows * part / slices);
        int end = (int) ((long) rows * (part + 1) / slices);
        int chunkRows = TILE_FLOATS / (wd * CONV_OUT_BLOCK);
        // staging: item lid loads columns lj, lj + stepJ, … of block channels lq, lq + stepQ, … (along x)
        int stepJ = min(wd, items);
        int stepQ = items / stepJ;
        int lq = lid / stepJ;
        int lj = lid - lq * stepJ;
        if (lq >= stepQ) {
            lq = CONV_OUT_BLOCK;
        }
        int ci = lid;
        boolean active = ci < c;
        float w0_0 = 0f;
        float w0_1 = 0f;
        float w0_2 = 0f;
        float w0_3 = 0f;
        float w0_4 = 0f;
        float w0_5 = 0f;
        float w0_6 = 0f;
        float w0_7 = 0f;
        float w0_8 = 0f;
        float w0_9 = 0f;
        float w0_10 = 0f;
        float w0_11 = 0f;
        float w0_12 = 0f;
        float w0_13 = 0f;
        float w0_14 = 0f;
        float w0_15 = 0f;
        float w1_0 = 0f;
        float w1_1 = 0f;
        float w1_2 = 0f;
        float w1_3 = 0f;
        float w1_4 = 0f;
        float w1_5 = 0f;
        float w1_6 = 0f;
        float w1_7 = 0f;
        float w1_8 = 0f;
        float w1_9 = 0f;
        float w1_10 = 0f;
        float w1_11 = 0f;
        float w1_12 = 0f;
        float w1_13 = 0f;
        float w1_14 = 0f;
        float w1_15 = 0f;
        float w2_0 = 0f;
        float w2_1 = 0f;
        float w2_2 = 0f;
        float w2_3 = 0f;
        float w2_4 = 0f;
        float w2_5 = 0f;
        float w2_6 = 0f;
        float w2_7 = 0f;
        float w2_8 = 0f;
        float w2_9 = 0f;
        float w2_10 = 0f;
        float w2_11 = 0f;
        float w2_12 = 0f;
        float w2_13 = 0f;
        float w2_14 = 0f;
        float w2_15 = 0f;
        float w3_0 = 0f;
        float w3_1 = 0f;
        float w3_2 = 0f;
        float w3_3 = 0f;
        float w3_4 = 0f;
        float w3_5 = 0f;
        float w3_6 = 0f;
        float w3_7 = 0f;
        float w3_8 = 0f;
        float w3_9 = 0f;
        float w3_10 = 0f;
        float w3_11 = 0f;
        float w3_12 = 0f;
        float w3_13 = 0f;
        float w3_14 = 0f;
        float w3_15 = 0f;
        float w4_0 = 0f;
        float w4_1 = 0f;
        float w4_2 = 0f;
        float w4_3 = 0f;
        float w4_4 = 0f;
        float w4_5 = 0f;
        float w4_6 = 0f;
        float w4_7 = 0f;
        float w4_8 = 0f;
        float w4_9 = 0f;
        float w4_10 = 0f;
        float w4_11 = 0f;
        float w4_12 = 0f;
        float w4_13 = 0f;
        float w4_14 = 0f;
        float w4_15 = 0f;
        float w5_0 = 0f;
        float w5_1 = 0f;
        float w5_2 = 0f;
        float w5_3 = 0f;
        float w5_4 = 0f;
        float w5_5 = 0f;
        float w5_6 = 0f;
        float w5_7 = 0f;
        float w5_8 = 0f;
        float w5_9 = 0f;
        float w5_10 = 0f;
        float w5_11 = 0f;
        float w5_12 = 0f;
        float w5_13 = 0f;
        float w5_14 = 0f;
        float w5_15 = 0f;
        float w6_0 = 0f;
        float w6_1 = 0f;
        float w6_2 = 0f;
        float w6_3 = 0f;
        float w6_4 = 0f;
        float w6_5 = 0f;
        float w6_6 = 0f;
        float w6_7 = 0f;
        float w6_8 = 0f;
        float w6_9 = 0f;
        float w6_10 = 0f;
        float w6_11 = 0f;
        float w6_12 = 0f;
        float w6_13 = 0f;
        float w6_14 = 0f;
        float w6_15 = 0f;
        float w7_0 = 0f;
        float w7_1 = 0f;
        float w7_2 = 0f;
        float w7_3 = 0f;
        float w7_4 = 0f;
        float w7_5 = 0f;
        float w7_6 = 0f;
        float w7_7 = 0f;
        float w7_8 = 0f;
        float w7_9 = 0f;
        float w7_10 = 0f;
        float w7_11 = 0f;
        float w7_12 = 0f;
        float w7_13 = 0f;
        float w7_14 = 0f;
        float w7_15 = 0f;
        float w8_0 = 0f;
        float w8_1 = 0f;
        float w8_2 = 0f;
        float w8_3 = 0f;
        float w8_4 = 0f;
        float w8_5 = 0f;
        float w8_6 = 0f;
        float w8_7 = 0f;
        float w8_8 = 0f;
        float w8_9 = 0f;
        float w8_10 = 0f;
        float w8_11 = 0f;
        float w8_12 = 0f;
        float w8_13 = 0f;
        float w8_14 = 0f;
        float w8_15 = 0f;
        for (int r0 = first; r0 < end; r0 += chunkRows) {
            int r1 = min(end, r0 + chunkRows);
            for (int row = r0; row < r1; row++) {
                int b = row / h;
                int i = row - b * h;
                int pr = (row - r0) * wd;
                for (int q = lq; q < CONV_OUT_BLOCK; q += stepQ) {
                    int gyRow = ob + ((b * o + min(och + q, o - 1)) * h + i) * wd;
                    for (int j = lj; j < wd; j += stepJ) {
                        float gv = 0f;
                        if (och + q < o) {
                            gv = f[gyRow + j];
                        }
                        localTile[(pr + j) * lanes + q] = gv;
                    }
                }
            }
            localBarrier();
            if (active) {
                for (int row = r0; row < r1; row++) {
                    int b = row / h;
                    int i = row - b * h;
                    int base0 = inputRowBase(b, ci, i - 1);
                    int base1 = inputRowBase(b, ci, i);
                    int base2 = inputRowBase(b, ci, i + 1);
                    // a row of padding zeros reads row 0 of the arena and takes 0 instead (a select, no branch)
                    int safe0 = max(base0, 0);
                    int safe1 = max(base1, 0);
                    int safe2 = max(base2, 0);
                    int pr = (row - r0) * wd;
                    int pj = pr * lanes;
                    float a0 = inputRowAt(base0, -1, wd);
                    float m0 = inputRowAt(base0, 0, wd);
                    float a1 = inputRowAt(base1, -1, wd);
                    float m1 = inputRowAt(base1, 0, wd);
                    float a2 = inputRowAt(base2, -1, wd);
                    float m2 = inputRowAt(base2, 0, wd);
                    // columns before the last need no column test: the loop body is one block, a row of sixteen
                    // gy values times nine input values. The last column repeats the block after the loop on purpose:
                    // one loop to wd with an if/else for the last neighbour gave the same bits but a SIP step on PoCL
                    // of 115-117 ms instead of 65-73 (PoCL no longer vectorised the block)
                    for (int j = 0; j < wd - 1; j++) {
                        pj = (pr + j) * lanes;
                        float z0 = f[safe0 + j + 1];
                        float z1 = f[safe1 + j + 1];
                        float z2 = f[safe2 + j + 1];
                        if (base0 < 0) {
                            z0 = 0f;
                        }
                        if (base1 < 0) {
                            z1 = 0f;
                        }
                        if (base2 < 0) {
                            z2 = 0f;
                        }
                        w0_0 += localTile[pj + 0] * a0;
                        w0_1 += localTile[pj + 1] * a0;
                        w0_2 += localTile[pj + 2] * a0;
                        w0_3 += localTile[pj + 3] * a0;
                        w0_4 += localTile[pj + 4] * a0;
                        w0_5 += localTile[pj + 5] * a0;
                        w0_6 += localTile[pj + 6] * a0;
                        w0_7 += localTile[pj + 7] * a0;
                        w0_8 += localTile[pj + 8] * a0;
                        w0_9 += localTile[pj + 9] * a0;
                        w0_10 += localTile[pj + 10] * a0;
                        w0_11 += localTile[pj + 11] * a0;
                        w0_12 += localTile[pj + 12] * a0;
                        w0_13 += localTile[pj + 13] * a0;
                        w0_14 += localTile[pj + 14] * a0;
                        w0_15 += localTile[pj + 15] * a0;
                        w1_0 += localTile[pj + 0] * m0;
                        w1_1 += localTile[pj + 1] * m0;
                        w1_2 += localTile[pj + 2] * m0;
                        w1_3 += localTile[pj + 3] * m0;
                        w1_4 += localTile[pj + 4] * m0;
                        w1_5 += localTile[pj + 5] * m0;
                        w1_6 += localTile[pj + 6] * m0;
                        w1_7 += localTile[pj + 7] * m0;
                        w1_8 += localTile[pj + 8] * m0;
                        w1_9 += localTile[pj + 9] * m0;
                        w1_10 += localTile[pj + 10] * m0;
                        w1_11 += localTile[pj + 11] * m0;
                        w1_12 += localTile[pj + 12] * m0;
                        w1_13 += localTile[pj + 13] * m0;
                        w1_14 += localTile[pj + 14] * m0;
                        w1_15 += localTile[pj + 15] * m0;
                        w2_0 += localTile[pj + 0] * z0;
                        w2_1 += localTile[pj + 1] * z0;
                        w2_2 += localTile[pj + 2] * z0;
                        w2_3 += localTile[pj + 3] * z0;
                        w2_4 += localTile[pj + 4] * z0;
                        w2_5 += localTile[pj + 5] * z0;
                        w2_6 += localTile[pj + 6] * z0;
                        w2_7 += localTile[pj + 7] * z0;
                        w2_8 += localTile[pj + 8] * z0;
                        w2_9 += localTile[pj + 9] * z0;
                        w2_10 += localTile[pj + 10] * z0;
                        w2_11 += localTile[pj + 11] * z0;
                        w2_12 += localTile[pj + 12] * z0;
                        w2_13 += localTile[pj + 13] * z0;
                        w2_14 += localTile[pj + 14] * z0;
                        w2_15 += localTile[pj + 15] * z0;
                        w3_0 += localTile[pj + 0] * a1;
                        w3_1 += localTile[pj + 1] * a1;
                        w3_2 += localTile[pj + 2] * a1;
                        w3_3 += localTile[pj + 3] * a1;
                        w3_4 += localTile[pj + 4] * a1;
                        w3_5 += localTile[pj + 5] * a1;
                        w3_6 += localTile[pj + 6] * a1;
                        w3_7 += localTile[pj + 7] * a1;
                        w3_8 += localTile[pj + 8] * a1;
                        w3_9 += localTile[pj + 9] * a1;
                        w3_10 += localTile[pj + 10] * a1;
                        w3_11 += localTile[pj + 11] * a1;
                        w3_12 += localTile[pj + 12] * a1;
                        w3_13 += localTile[pj + 13] * a1;
                        w3_14 += localTile[pj + 14] * a1;
                        w3_15 += localTile[pj + 15] * a1;
                        w4_0 += localTile[pj + 0] * m1;
                        w4_1 += localTile[pj + 1] * m1;
                        w4_2 += localTile[pj + 2] * m1;
                        w4_3 += localTile[pj + 3] * m1;
                        w4_4 += localTile[pj + 4] * m1;
                        w4_5 += localTile[pj + 5] * m1;
                        w4_6 += localTile[pj + 6] * m1;
                        w4_7 += localTile[pj + 7] * m1;
                        w4_8 += localTile[pj + 8] * m1;
                        w4_9 += localTile[pj + 9] * m1;
                        w4_10 += localTile[pj + 10] * m1;
                        w4_11 += localTile[pj + 11] * m1;
                        w4_12 += localTile[pj + 12] * m1;
                        w4_13 += localTile[pj + 13] * m1;
                        w4_14 += localTile[pj + 14] * m1;
                        w4_15 += localTile[pj + 15] * m1;
                        w5_0 += localTile[pj + 0] * z1;
                        w5_1 += localTile[pj + 1] * z1;
                        w5_2 += localTile[pj + 2] * z1;
                        w5_3 += localTile[pj + 3] * z1;
                        w5_4 += localTile[pj + 4] * z1;
                        w5_5 += localTile[pj + 5] * z1;
                        w5_6 += localTile[pj + 6] * z1;
                        w5_7 += localTile[pj + 7] * z1;
                        w5_8 += localTile[pj + 8] * z1;
                        w5_9 += localTile[pj + 9] * z1;
                        w5_10 += localTile[pj + 10] * z1;
                        w5_11 += localTile[pj + 11] * z1;
                        w5_12 += localTile[pj + 12] * z1;
                        w5_13 += localTile[pj + 13] * z1;
                        w5_14 += localTile[pj + 14] * z1;
                        w5_15 += localTile[pj + 15] * z1;
                        w6_0 += localTile[pj + 0] * a2;
                        w6_1 += localTile[pj + 1] * a2;
                        w6_2 += localTile[pj + 2] * a2;
                        w6_3 += localTile[pj + 3] * a2;
                        w6_4 += localTile[pj + 4] * a2;
                        w6_5 += localTile[pj + 5] * a2;
                        w6_6 += localTile[pj + 6] * a2;
                        w6_7 += localTile[pj + 7] * a2;
                        w6_8 += localTile[pj + 8] * a2;
                        w6_9 += localTile[pj + 9] * a2;
                        w6_10 += localTile[pj + 10] * a2;
                        w6_11 += localTile[pj + 11] * a2;
                        w6_12 += localTile[pj + 12] * a2;
                        w6_13 += localTile[pj + 13] * a2;
                        w6_14 += localTile[pj + 14] * a2;
                        w6_15 += localTile[pj + 15] * a2;
                        w7_0 += localTile[pj + 0] * m2;
                        w7_1 += localTile[pj + 1] * m2;
                        w7_2 += localTile[pj + 2] * m2;
                        w7_3 += localTile[pj + 3] * m2;
                        w7_4 += localTile[pj + 4] * m2;
                        w7_5 += localTile[pj + 5] * m2;
                        w7_6 += localTile[pj + 6] * m2;
                        w7_7 += localTile[pj + 7] * m2;
                        w7_8 += localTile[pj + 8] * m2;
                        w7_9 += localTile[pj + 9] * m2;
                        w7_10 += localTile[pj + 10] * m2;
                        w7_11 += localTile[pj + 11] * m2;
                        w7_12 += localTile[pj + 12] * m2;
                        w7_13 += localTile[pj + 13] * m2;
                        w7_14 += localTile[pj + 14] * m2;
                        w7_15 += localTile[pj + 15] * m2;
                        w8_0 += localTile[pj + 0] * z2;
                        w8_1 += localTile[pj + 1] * z2;
                        w8_2 += localTile[pj + 2] * z2;
                        w8_3 += localTile[pj + 3] * z2;
                        w8_4 += localTile[pj + 4] * z2;
                        w8_5 += localTile[pj + 5] * z2;
                        w8_6 += localTile[pj + 6] * z2;
                        w8_7 += localTile[pj + 7] * z2;
                        w8_8 += localTile[pj + 8] * z2;
                        w8_9 += localTile[pj + 9] * z2;
                        w8_10 += localTile[pj + 10] * z2;
                        w8_11 += localTile[pj + 11] * z2;
                        w8_12 += localTile[pj + 12] * z2;
                        w8_13 += localTile[pj + 13] * z2;
                        w8_14 += localTile[pj + 14] * z2;
                        w8_15 += localTile[pj + 15] * z2;
                        a0 = m0;
                        m0 = z0;
                        a1 = m1;
                        m1 = z1;
                        a2 = m2;
                        m2 = z2;
                    }
                    pj = (pr + wd - 1) * lanes;
                    float z0 = inputRowAt(base0, wd, wd);
                    float z1 = inputRowAt(base1, wd, wd);
                    float z2 = inputRowAt(base2, wd, wd);
                    w0_0 += localTile[pj + 0] * a0;
                    w0_1 += localTile[pj + 1] * a0;
                    w0_2 += localTile[pj + 2] * a0;
                    w0_3 += localTile[pj + 3] * a0;
                    w0_4 += localTile[pj + 4] * a0;
                    w0_5 += localTile[pj + 5] * a0;
                    w0_6 += localTile[pj + 6] * a0;
                    w0_7 += localTile[pj + 7] * a0;
                    w0_8 += localTile[pj + 8] * a0;
                    w0_9 += localTile[pj + 9] * a0;
                    w0_10 += localTile[pj + 10] * a0;
                    w0_11 += localTile[pj + 11] * a0;
                    w0_12 += localTile[pj + 12] * a0;
                    w0_13 += localTile[pj + 13] * a0;
                    w0_14 += localTile[pj + 14] * a0;
                    w0_15 += localTile[pj + 15] * a0;
                    w1_0 += localTile[pj + 0] * m0;
                    w1_1 += localTile[pj + 1] * m0;
                    w1_2 += localTile[pj + 2] * m0;
                    w1_3 += localTile[pj + 3] * m0;
                    w1_4 += localTile[pj + 4] * m0;
                    w1_5 += localTile[pj + 5] * m0;
                    w1_6 += localTile[pj + 6] * m0;
                    w1_7 += localTile[pj + 7] * m0;
                    w1_8 += localTile[pj + 8] * m0;
                    w1_9 += localTile[pj + 9] * m0;
                    w1_10 += localTile[pj + 10] * m0;
                    w1_11 += localTile[pj + 11] * m0;
                    w1_12 += localTile[pj + 12] * m0;
                    w1_13 += localTile[pj + 13] * m0;
                    w1_14 += localTile[pj + 14] * m0;
                    w1_15 += localTile[pj + 15] * m0;
                    w2_0 += localTile[pj + 0] * z0;
                    w2_1 += localTile[pj + 1] * z0;
                    w2_2 += localTile[pj + 2] * z0;
                    w2_3 += localTile[pj + 3] * z0;
                    w2_4 += localTile[pj + 4] * z0;
                    w2_5 += localTile[pj + 5] * z0;
                    w2_6 += localTile[pj + 6] * z0;
                    w2_7 += localTile[pj + 7] * z0;
                    w2_8 += localTile[pj + 8] * z0;
                    w2_9 += localTile[pj + 9] * z0;
                    w2_10 += localTile[pj + 10] * z0;
                    w2_11 += localTile[pj + 11] * z0;
                    w2_12 += localTile[pj + 12] * z0;
                    w2_13 += localTile[pj + 13] * z0;
                    w2_14 += localTile[pj + 14] * z0;
                    w2_15 += localTile[pj + 15] * z0;
                    w3_0 += localTile[pj + 0] * a1;
                    w3_1 += localTile[pj + 1] * a1;
                    w3_2 += localTile[pj + 2] * a1;
                    w3_3 += localTile[pj + 3] * a1;
                    w3_4 += localTile[pj + 4] * a1;
                    w3_5 += localTile[pj + 5] * a1;
                    w3_6 += localTile[pj + 6] * a1;
                    w3_7 += localTile[pj + 7] * a1;
                    w3_8 += localTile[pj + 8] * a1;
                    w3_9 += localTile[pj + 9] * a1;
                    w3_10 += localTile[pj + 10] * a1;
                    w3_11 += localTile[pj + 11] * a1;
                    w3_12 += localTile[pj + 12] * a1;
                    w3_13 += localTile[pj + 13] * a1;
                    w3_14 += localTile[pj + 14] * a1;
                    w3_15 += localTile[pj + 15] * a1;
                    w4_0 += localTile[pj + 0] * m1;
                    w4_1 += localTile[pj + 1] * m1;
                    w4_2 += localTile[pj + 2] * m1;
                    w4_3 += localTile[pj + 3] * m1;
                    w4_4 += localTile[pj + 4] * m1;
                    w4_5 += localTile[pj + 5] * m1;
                    w4_6 += localTile[pj + 6] * m1;
                    w4_7 += localTile[pj + 7] * m1;
                    w4_8 += localTile[pj + 8] * m1;
                    w4_9 += localTile[pj + 9] * m1;
                    w4_10 += localTile[pj + 10] * m1;
                    w4_11 += localTile[pj + 11] * m1;
                    w4_12 += localTile[pj + 12] * m1;
                    w4_13 += localTile[pj + 13] * m1;
                    w4_14 += localTile[pj + 14] * m1;
                    w4_15 += localTile[pj + 15] * m1;
                    w5_0 += localTile[pj + 0] * z1;
                    w5_1 += localTile[pj + 1] * z1;
                    w5_2 += localTile[pj + 2] * z1;
                    w5_3 += localTile[pj + 3] * z1;
                    w5_4 += localTile[pj + 4] * z1;
                    w5_5 += localTile[pj + 5] * z1;
                    w5_6 += localTile[pj + 6] * z1;
                    w5_7 += localTile[pj + 7] * z1;
                    w5_8 += localTile[pj + 8] * z1;
                    w5_9 += localTile[pj + 9] * z1;
                    w5_10 += localTile[pj + 10] * z1;
                    w5_11 += localTile[pj + 11] * z1;
                    w5_12 += localTile[pj + 12] * z1;
                    w5_13 += localTile[pj + 13] * z1;
                    w5_14 += localTile[pj + 14] * z1;
                    w5_15 += localTile[pj + 15] * z1;
                    w6_0 += localTile[pj + 0] * a2;
                    w6_1 += localTile[pj + 1] * a2;
                    w6_2 += localTile[pj + 2] * a2;
                    w6_3 += localTile[pj + 3] * a2;
                    w6_4 += localTile[pj + 4] * a2;
                    w6_5 += localTile[pj + 5] * a2;
                    w6_6 += localTile[pj + 6] * a2;
                    w6_7 += localTile[pj + 7] * a2;
                    w6_8 += localTile[pj + 8] * a2;
                    w6_9 += localTile[pj + 9] * a2;
                    w6_10 += localTile[pj + 10] * a2;
                    w6_11 += localTile[pj + 11] * a2;
                    w6_12 += localTile[pj + 12] * a2;
                    w6_13 += localTile[pj + 13] * a2;
                    w6_14 += localTile[pj + 14] * a2;
                    w6_15 += localTile[pj + 15] * a2;
                    w7_0 += localTile[pj + 0] * m2;
                    w7_1 += localTile[pj + 1] * m2;
                    w7_2 += localTile[pj + 2] * m2;
                    w7_3 += localTile[pj + 3] * m2;
                    w7_4 += localTile[pj + 4] * m2;
                    w7_5 += localTile[pj + 5] * m2;
                    w7_6 += localTile[pj + 6] * m2;
                    w7_7 += localTile[pj + 7] * m2;
                    w7_8 += localTile[pj + 8] * m2;
                    w7_9 += localTile[pj + 9] * m2;
                    w7_10 += localTile[pj + 10] * m2;
                    w7_11 += localTile[pj + 11] * m2;
                    w7_12 += localTile[pj + 12] * m2;
                    w7_13 += localTile[pj + 13] * m2;
                    w7_14 += localTile[pj + 14] * m2;
                    w7_15 += localTile[pj + 15] * m2;
                    w8_0 += localTile[pj + 0] * z2;
                    w8_1 += localTile[pj + 1] * z2;
                    w8_2 += localTile[pj + 2] * z2;
                    w8_3 += localTile[pj + 3] * z2;
                    w8_4 += localTile[pj + 4] * z2;
                    w8_5 += localTile[pj + 5] * z2;
                    w8_6 += localTile[pj + 6] * z2;
                    w8_7 += localTile[pj + 7] * z2;
                    w8_8 += localTile[pj + 8] * z2;
                    w8_9 += localTile[pj + 9] * z2;
                    w8_10 += localTile[pj + 10] * z2;
                    w8_11 += localTile[pj + 11] * z2;
                    w8_12 += localTile[pj + 12] * z2;
                    w8_13 += localTile[pj + 13] * z2;
                    w8_14 += localTile[pj + 14] * z2;
                    w8_15 += localTile[pj + 15] * z2;
                }
            }
            localBarrier();
        }
        if (active) {
            int out = oy + (och * c + ci) * 9 * slices + part;
            int step = c * 9 * slices;
            d[out] = w0_0;
            d[out + slices] = w1_0;
            d[out + 2 * slices] = w2_0;
            d[out + 3 * slices] = w3_0;
            d[out + 4 * slices] = w4_0;
            d[out + 5 * slices] = w5_0;
            d[out + 6 * slices] = w6_0;
            d[out + 7 * slices] = w7_0;
            d[out + 8 * slices] = w8_0;
            if (och + 1 < o) {
                d[out + 1 * step] = w0_1;
                d[out + 1 * step + slices] = w1_1;
                d[out + 1 * step + 2 * slices] = w2_1;
                d[out + 1 * step + 3 * slices] = w3_1;
                d[out + 1 * step + 4 * slices] = w4_1;
                d[out + 1 * step + 5 * slices] = w5_1;
                d[out + 1 * step + 6 * slices] = w6_1;
                d[out + 1 * step + 7 * slices] = w7_1;
                d[out + 1 * step + 8 * slices] = w8_1;
            }
            if (och + 2 < o) {
                d[out + 2 * step] = w0_2;
                d[out + 2 * step + slices] = w1_2;
                d[out + 2 * step + 2 * slices] = w2_2;
                d[out + 2 * step + 3 * slices] = w3_2;
                d[out + 2 * step + 4 * slices] = w4_2;
                d[out + 2 * step + 5 * slices] = w5_2;
                d[out + 2 * step + 6 * slices] = w6_2;
                d[out + 2 * step + 7 * slices] = w7_2;
                d[out + 2 * step + 8 * slices] = w8_2;
            }
            if (och + 3 < o) {
                d[out + 3 * step] = w0_3;
                d[out + 3 * step + slices] = w1_3;
                d[out + 3 * step + 2 * slices] = w2_3;
                d[out + 3 * step + 3 * slices] = w3_3;
                d[out + 3 * step + 4 * slices] = w4_3;
                d[out + 3 * step + 5 * slices] = w5_3;
                d[out + 3 * step + 6 * slices] = w6_3;
                d[out + 3 * step + 7 * slices] = w7_3;
                d[out + 3 * step + 8 * slices] = w8_3;
            }
            if (och + 4 < o) {
                d[out + 4 * step] = w0_4;
                d[out + 4 * step + slices] = w1_4;
                d[out + 4 * step + 2 * slices] = w2_4;
                d[out + 4 * step + 3 * slices] = w3_4;
                d[out + 4 * step + 4 * slices] = w4_4;
                d[out + 4 * step + 5 * slices] = w5_4;
                d[out + 4 * step + 6 * slices] = w6_4;
                d[out + 4 * step + 7 * slices] = w7_4;
                d[out + 4 * step + 8 * slices] = w8_4;
            }
            if (och + 5 < o) {
                d[out + 5 * step] = w0_5;
                d[out + 5 * step + slices] = w1_5;
                d[out + 5 * step + 2 * slices] = w2_5;
                d[out + 5 * step + 3 * slices] = w3_5;
                d[out + 5 * step + 4 * slices] = w4_5;
                d[out + 5 * step + 5 * slices] = w5_5;
                d[out + 5 * step + 6 * slices] = w6_5;
                d[out + 5 * step + 7 * slices] = w7_5;
                d[out + 5 * step + 8 * slices] = w8_5;
            }
            if (och + 6 < o) {
                d[out + 6 * step] = w0_6;
                d[out + 6 * step + slices] = w1_6;
                d[out + 6 * step + 2 * slices] = w2_6;
                d[out + 6 * step + 3 * slices] = w3_6;
                d[out + 6 * step + 4 * slices] = w4_6;
                d[out + 6 * step + 5 * slices] = w5_6;
                d[out + 6 * step + 6 * slices] = w6_6;
                d[out + 6 * step + 7 * slices] = w7_6;
                d[out + 6 * step + 8 * slices] = w8_6;
            }
            if (och + 7 < o) {
                d[out + 7 * step] = w0_7;
                d[out + 7 * step + slices] = w1_7;
                d[out + 7 * step + 2 * slices] = w2_7;
                d[out + 7 * step + 3 * slices] = w3_7;
                d[out + 7 * step + 4 * slices] = w4_7;
                d[out + 7 * step + 5 * slices] = w5_7;
                d[out + 7 * step + 6 * slices] = w6_7;
                d[out + 7 * step + 7 * slices] = w7_7;
                d[out + 7 * step + 8 * slices] = w8_7;
            }
            if (och + 8 < o) {
                d[out + 8 * step] = w0_8;
                d[out + 8 * step + slices] = w1_8;
                d[out + 8 * step + 2 * slices] = w2_8;
                d[out + 8 * step + 3 * slices] = w3_8;
                d[out + 8 * step + 4 * slices] = w4_8;
                d[out + 8 * step + 5 * slices] = w5_8;
                d[out + 8 * step + 6 * slices] = w6_8;
                d[out + 8 * step + 7 * slices] = w7_8;
                d[out + 8 * step + 8 * slices] = w8_8;
            }
            if (och + 9 < o) {
                d[out + 9 * step] = w0_9;
                d[out + 9 * step + slices] = w1_9;
                d[out + 9 * step + 2 * slices] = w2_9;
                d[out + 9 * step + 3 * slices] = w3_9;
                d[out + 9 * step + 4 * slices] = w4_9;
                d[out + 9 * step + 5 * slices] = w5_9;
                d[out + 9 * step + 6 * slices] = w6_9;
                d[out + 9 * step + 7 * slices] = w7_9;
                d[out + 9 * step + 8 * slices] = w8_9;
            }
            if (och + 10 < o) {
                d[out + 10 * step] = w0_10;
                d[out + 10 * step + slices] = w1_10;
                d[out + 10 * step + 2 * slices] = w2_10;
                d[out + 10 * step + 3 * slices] = w3_10;
                d[out + 10 * step + 4 * slices] = w4_10;
                d[out + 10 * step + 5 * slices] = w5_10;
                d[out + 10 * step + 6 * slices] = w6_10;
                d[out + 10 * step + 7 * slices] = w7_10;
                d[out + 10 * step + 8 * slices] = w8_10;
            }
            if (och + 11 < o) {
                d[out + 11 * step] = w0_11;
                d[out + 11 * step + slices] = w1_11;
                d[out + 11 * step + 2 * slices] = w2_11;
                d[out + 11 * step + 3 * slices] = w3_11;
                d[out + 11 * step + 4 * slices] = w4_11;
                d[out + 11 * step + 5 * slices] = w5_11;
                d[out + 11 * step + 6 * slices] = w6_11;
                d[out + 11 * step + 7 * slices] = w7_11;
                d[out + 11 * step + 8 * slices] = w8_11;
            }
            if (och + 12 < o) {
                d[out + 12 * step] = w0_12;
                d[out + 12 * step + slices] = w1_12;
                d[out + 12 * step + 2 * slices] = w2_12;
                d[out + 12 * step + 3 * slices] = w3_12;
                d[out + 12 * step + 4 * slices] = w4_12;
                d[out + 12 * step + 5 * slices] = w5_12;
                d[out + 12 * step + 6 * slices] = w6_12;
                d[out + 12 * step + 7 * slices] = w7_12;
                d[out + 12 * step + 8 * slices] = w8_12;
            }
            if (och + 13 < o) {
                d[out + 13 * step] = w0_13;
                d[out + 13 * step + slices] = w1_13;
                d[out + 13 * step + 2 * slices] = w2_13;
                d[out + 13 * step + 3 * slices] = w3_13;
                d[out + 13 * step + 4 * slices] = w4_13;
                d[out + 13 * step + 5 * slices] = w5_13;
                d[out + 13 * step + 6 * slices] = w6_13;
                d[out + 13 * step + 7 * slices] = w7_13;
                d[out + 13 * step + 8 * slices] = w8_13;
            }
            if (och + 14 < o) {
                d[out + 14 * step] = w0_14;
                d[out + 14 * step + slices] = w1_14;
                d[out + 14 * step + 2 * slices] = w2_14;
                d[out + 14 * step + 3 * slices] = w3_14;
                d[out + 14 * step + 4 * slices] = w4_14;
                d[out + 14 * step + 5 * slices] = w5_14;
                d[out + 14 * step + 6 * slices] = w6_14;
                d[out + 14 * step + 7 * slices] = w7_14;
                d[out + 14 * step + 8 * slices] = w8_14;
            }
            if (och + 15 < o) {
                d[out + 15 * step] = w0_15;
                d[out + 15 * step + slices] = w1_15;
                d[out + 15 * step + 2 * slices] = w2_15;
                d[out + 15 * step + 3 * slices] = w3_15;
                d[out + 15 * step + 4 * slices] = w4_15;
                d[out + 15 * step + 5 * slices] = w5_15;
                d[out + 15 * step + 6 * slices] = w6_15;
                d[out + 15 * step + 7 * slices] = w7_15;
                d[out + 15 * step + 8 * slices] = w8_15;
            }
        }
    }

    /** The nine partial sums of one (o, c) pair's slice at out, out + S, …, out + 8·S (S = slices), in double. */
    void storeTaps3x3(int out, int slices, float t00, float t01, float t02, float t10, float t11, float t12,
                      float t20, float t21, float t22) {
        d[out] = t00;
        d[out + slices] = t01;
        d[out + 2 * slices] = t02;
        d[out + 3 * slices] = t10;
        d[out + 4 * slices] = t11;
        d[out + 5 * slices] = t12;
        d[out + 6 * slices] = t20;
        d[out + 7 * slices] = t21;
        d[out + 8 * slices] = t22;
    }

    /**
     * The arena offset of input row r (wrapped, see {@link #source}) of channel ci of image b for the weight
     * gradient (x at oa; i1 = c, i2 = h, i3 = w), or −1 for a row of padding zeros.
     */
    int inputRowBase(int b, int ci, int r) {
        int si = source(r, i2);
        int base = -1;
        if (si >= 0) {
            base = oa + ((b * i1 + ci) * i2 + si) * i3;
        }
        return base;
    }

    /** The value at column sj of the input row at base, or 0 if either is −1 (padding). */
    float rowValue(int base, int sj) {
        float v = 0f;
        if (base >= 0 && sj >= 0) {
            v = f[base + sj];
        }
        return v;
    }

    /** The input row at base (−1: padding zeros) at column s, wrapped or 0 outside as {@link #inputAt}. */
    float inputRowAt(int base, int s, int size) {
        int sj = source(s, size);
        float v = 0f;
        if (base >= 0 && sj >= 0) {
            v = f[base + sj];
        }
        return v;
    }

    /** The input row at xBase at column s (wrapped, or 0 for a padding zero; see {@link #source}). */
    float inputAt(int xBase, int s, int size) {
        int sj = source(s, size);
        float v = 0f;
        if (sj >= 0) {
            v = f[xBase + sj];
        }
        return v;
    }

    /**
     * A sum over many values per output ({@link #reduce}'s parameters, SUM only): one work group per output element;
     * each item adds every group-size-th run of the innermost reduced axis in double, then a tree in local memory adds the
     * items' sums ({@link #groupSum}) and item 0 stores the total, rounded once. For a few outputs over many values
     * (a bias gradient: 16 sums of n·h·w) this keeps a whole device busy where one item per output would not.
     */
    void reduceSumGroups() {
        int g = getGroupId(0);
        int lid = getLocalId(0);
        int size = getLocalSize(0);
        int base = oa + strided(g, sa0, sa1, sa2, sa3, sa4, sa5);
        double s = 0;
        int runs = i1 / sb5;
        for (int run = lid; run < runs; run += size) {
            int off = base + reducedOffset(run * sb5);
            for (int t = 0; t < sb5; t++) {
                s += f[off + t * sy5];
            }
        }
        double total = groupSum(s, 0);
        if (lid == 0) {
            f[oy + g] = (float) total;
        }
    }

    /**
     * {@link #reduceSumGroups} of up to {@link #CHANNEL_SUMS_SLOTS} (n, c, h, w) tensors over axes 0, 2, 3 (a
     * convolution's bias gradient) in one launch, one work group per channel of each: the same runs (image rows) per
     * item in the same order and the same tree, so the same bits. Slot s is six packed ints ({@link #setPacked}):
     * input and output offsets, c, n, h, w; the groups of slot 0's channels come first, then slot 1's, and so on;
     * an unused slot has c = 0. The slot depends only on the group id, so every item of a group takes the same path
     * to the barriers.
     */
    void channelSumsBatch() {
        int ch = getGroupId(0);
        int lid = getLocalId(0);
        int size = getLocalSize(0);
        int in = oa;
        int out = ob;
        int c = oc;
        int n = od;
        int h = oy;
        int w = oz;
        if (ch >= c) {
            ch -= c;
            in = ow;
            out = i0;
            c = i1;
            n = i2;
            h = i3;
            w = i4;
            if (ch >= c) {
                ch -= c;
                in = i5;
                out = i6;
                c = sa0;
                n = sa1;
                h = sa2;
                w = sa3;
                if (ch >= c) {
                    ch -= c;
                    in = sa4;
                    out = sa5;
                    c = sb0;
                    n = sb1;
                    h = sb2;
                    w = sb3;
                    if (ch >= c) {
                        ch -= c;
                        in = sb4;
                        out = sb5;
                        c = sy0;
                        n = sy1;
                        h = sy2;
                        w = sy3;
                        if (ch >= c) {
                            ch -= c;
                            in = sy4;
                            out = sy5;
                            c = r0;
                            n = r1;
                            h = r2;
                            w = r3;
                        }
                    }
                }
            }
        }
        int plane = h * w;
        int base = in + ch * plane;
        double s = 0;
        int runs = n * h;
        for (int run = lid; run < runs; run += size) {
            int b = run / h;
            int off = base + b * c * plane + (run - b * h) * w;
            for (int t = 0; t < w; t++) {
                s += f[off + t];
            }
        }
        double total = groupSum(s, 0);
        if (lid == 0) {
            f[out + ch] = (float) total;
        }
    }

    /** The input offset of the r-th value (row-major) of the reduced axes: sizes sb0 … sb5, strides sy0 … sy5. */
    int reducedOffset(int r) {
        int q = r;
        int off = (q % sb5) * sy5;
        q = q / sb5;
        off += (q % sb4) * sy4;
        q = q / sb4;
        off += (q % sb3) * sy3;
        q = q / sb3;
        off += (q % sb2) * sy2;
        q = q / sb2;
        off += (q % sb1) * sy1;
        q = q / sb1;
        return off + q * sy0;
    }

    /**
     * The sums of a group's items in double, as a tree in local memory over localSums[at … at + L): every item
     * passes its value and gets the group's total (the same in every item).
     */
    double groupSum(double value, int at) {
        int lid = getLocalId(0);
        int size = getLocalSize(0);
        localSums[at + lid] = value;
        localBarrier();
        for (int span = size / 2; span > 0; span = span / 2) {
            if (lid < span) {
                localSums[at + lid] = localSums[at + lid] + localSums[at + lid + span];
            }
            localBarrier();
        }
        double total = localSums[at];
        localBarrier();
        return total;
    }

    /**
     * Batch norm's training forward in one launch, one work group per channel (x at oa, γ at ob, β at oc in f;
     * i0 = n, i1 = c, i2 = h·w, x0 = ε): the group sums x over (n, h·w) with a tree in double,
     * then Σ(x − μ)², writes μ and σ² (d at od, oz) and normalises its channel: y = (x − μ)·γ/√(σ² + ε) + β, relu
     * if i3 ≠ 0. Item l visits elements l, l + L, … of the channel's (n, h·w) sequence, its (n, h·w) position
     * stepped by increments rather than divided out per element. Each pass runs in rounds of L elements, the same
     * number for every item, with a barrier after each round (items past the end skip the element): the group
     * walks the channel in step, one element per item, as a GPU does, and a CPU compiler (PoCL) vectorises each
     * round across the items instead of running each item's loop scalar. Every item sums the same elements in the
     * same order as before, so the sums are unchanged. The store is guarded by b &lt; n as well as by
     * idx &lt; count (the same condition): PoCL 3.1 ran the old loop's body for items with idx ≥ count when count
     * was below the group size, which wrote past y into the next tensor's range.
     */
    void batchNormForwardGroups() {
        int c = i1;
        int hw = i2;
        int ch = getGroupId(0);
        int lid = getLocalId(0);
        int size = getLocalSize(0);
        int count = i0 * hw;
        int stepB = size / hw;
        int stepR = size - stepB * hw;
        int firstB = lid / hw;
        int firstR = lid - firstB * hw;
        double s = 0;
        int b1 = firstB;
        int r1 = firstR;
        int rounds = (count + size - 1) / size;
        for (int round = 0; round < rounds; round++) {
            if (round * size + lid < count) {
                s += f[oa + (b1 * c + ch) * hw + r1];
            }
            r1 += stepR;
            b1 += stepB;
            if (r1 >= hw) {
                r1 -= hw;
                b1++;
            }
            localBarrier();
        }
        double mu = groupSum(s, 0) / count;
        double ss = 0;
        int b2 = firstB;
        int r2 = firstR;
        for (int round = 0; round < rounds; round++) {
            if (round * size + lid < count) {
                double dv = f[oa + (b2 * c + ch) * hw + r2] - mu;
                ss += dv * dv;
            }
            r2 += stepR;
            b2 += stepB;
            if (r2 >= hw) {
                r2 -= hw;
                b2++;
            }
            localBarrier();
        }
        double var = groupSum(ss, 0) / count;
        if (lid == 0) {
            d[od + ch] = mu;
            d[oz + ch] = var;
        }
        double scale = f[ob + ch] * (1.0 / sqrt(var + x0));
        double shift = f[oc + ch];
        int b3 = firstB;
        int r3 = firstR;
        for (int round = 0; round < rounds; round++) {
            if (round * size + lid < count && b3 < i0) {
                int at = (b3 * c + ch) * hw + r3;
                double v = (f[oa + at] - mu) * scale + shift;
                if (i3 != 0 && !(v > 0)) {
                    v = 0;
                }
                f[oy + at] = (float) v;
            }
            r3 += stepR;
            b3 += stepB;
            if (r3 >= hw) {
                r3 -= hw;
                b3++;
            }
            localBarrier();
        }
    }

    /**
     * Batch norm's backward in one launch, one work group per channel (x at oa, g at ob, relu output at oc if
     * i3 ≠ 0, μ and σ² at od and oz in d; i0 = n, i1 = c, i2 = h·w, x0 = ε): Σg and Σg·x̂ as two trees in double, gβ and gγ as floats (oy, i4), then gx = γ/√(σ² + ε)·(g − Σg/M −
     * x̂·Σg·x̂/M) for the channel (γ at i6, gx at ow). Rounds of L elements with a barrier after each, and the
     * last loop's store guarded by b &lt; n, as in {@link #batchNormForwardGroups}.
     */
    void batchNormBackwardGroups() {
        int c = i1;
        int hw = i2;
        int ch = getGroupId(0);
        int lid = getLocalId(0);
        int size = getLocalSize(0);
        int count = i0 * hw;
        int stepB = size / hw;
        int stepR = size - stepB * hw;
        int firstB = lid / hw;
        int firstR = lid - firstB * hw;
        double invStd = 1.0 / sqrt(d[oz + ch] + x0);
        double mu = d[od + ch];
        double sumG = 0;
        double sumGX = 0;
        int b1 = firstB;
        int r1 = firstR;
        int rounds = (count + size - 1) / size;
        for (int round = 0; round < rounds; round++) {
            if (round * size + lid < count) {
                int at = (b1 * c + ch) * hw + r1;
                double gj = maskedGrad(at);
                sumG += gj;
                sumGX += gj * (f[oa + at] - mu) * invStd;
            }
            r1 += stepR;
            b1 += stepB;
            if (r1 >= hw) {
                r1 -= hw;
                b1++;
            }
            localBarrier();
        }
        localSums[lid] = sumG;
        localSums[GROUP + lid] = sumGX;
        localBarrier();
        for (int span = size / 2; span > 0; span = span / 2) {
            if (lid < span) {
                localSums[lid] = localSums[lid] + localSums[lid + span];
                localSums[GROUP + lid] = localSums[GROUP + lid] + localSums[GROUP + lid + span];
            }
            localBarrier();
        }
        sumG = localSums[0];
        sumGX = localSums[GROUP];
        if (lid == 0) {
            f[oy + ch] = (float) sumG;
            f[i4 + ch] = (float) sumGX;
        }
        double scale = f[i6 + ch] * invStd;
        int b2 = firstB;
        int r2 = firstR;
        for (int round = 0; round < rounds; round++) {
            if (round * size + lid < count && b2 < i0) {
                int at = (b2 * c + ch) * hw + r2;
                double xhat = (f[oa + at] - mu) * invStd;
                f[ow + at] = (float) (scale * (maskedGrad(at) - sumG / count - xhat * sumGX / count));
            }
            r2 += stepR;
            b2 += stepB;
            if (r2 >= hw) {
                r2 -= hw;
                b2++;
            }
            localBarrier();
        }
    }

    // ------------------------------------------------------------------ max pooling with a kept argmax

    /**
     * y[pl, i, j] = max over window (i, j) (first maximum, strict >) and its position u·size + v in the window,
     * kept as a float in f at oarg for the backward pass; i0 = h, i1 = w, i2 = size.
     */
    void maxPoolArgmax(int g) {
        int size = i2;
        int ow = i1 / size;
        int oh = i0 / size;
        int j = g % ow;
        int rest = g / ow;
        int i = rest % oh;
        int pl = rest / oh;
        // argmax(pl, i, j), with the window offset kept as it is found rather than divided out of the index
        int first = oa + pl * i0 * i1 + i * size * i1 + j * size;
        int best = first;
        int kept = 0;
        for (int u = 0; u < size; u++) {
            for (int v = 0; v < size; v++) {
                int at = first + u * i1 + v;
                if (f[at] > f[best]) {
                    best = at;
                    kept = u * size + v;
                }
            }
        }
        f[oy + g] = f[best];
        f[oarg + g] = kept;
    }

    /**
     * gx[e] = gy[window of e] if e is the window's kept argmax, else 0: one read of the argmax instead of the
     * window; work item per input element (a gather, no scatter). Parameters as {@link #maxPoolArgmax}, gy at ob.
     */
    void maxPoolBackwardArgmax(int g) {
        int h = i0;
        int w = i1;
        int size = i2;
        int col = g % w;
        int r = (g / w) % h;
        int pl = g / (w * h);
        int ow = w / size;
        int oh = h / size;
        float v = 0f;
        if (r / size < oh && col / size < ow) {
            int window = (pl * oh + r / size) * ow + col / size;
            if ((int) f[oarg + window] == (r % size) * size + col % size) {
                v = f[ob + window];
            }
        }
        f[oy + g] = v;
    }

    /**
     * {@link #maxPoolBackwardArgmax} with one work item per window (h and w multiples of the size, so every input
     * element lies in exactly one window): item g reads its window's kept argmax and gy once and writes the window's
     * size × size values of gx, gy at the argmax and 0 elsewhere: the same values, without the eight integer
     * divisions per input element of the per-element version. Neighbouring items write neighbouring windows.
     */
    void maxPoolBackwardWindow(int g) {
        int w = i1;
        int size = i2;
        int ow = w / size;
        int oh = i0 / size;
        int j = g % ow;
        int rest = g / ow;
        int i = rest % oh;
        int pl = rest / oh;
        int kept = (int) f[oarg + g];
        float gv = f[ob + g];
        int base = oy + (pl * i0 + i * size) * w + j * size;
        for (int u = 0; u < size; u++) {
            for (int v = 0; v < size; v++) {
                float val = 0f;
                if (u * size + v == kept) {
                    val = gv;
                }
                f[base + u * w + v] = val;
            }
        }
    }
}
