package io.sipflow.gpu;

import io.sipflow.autodiff.backend.Transfers;
import com.aparapi.device.OpenCLDevice;
import io.sipflow.autodiff.DType;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.HashSet;
import java.util.Set;

/**
 * Device memory for resident tensors: the float and double arenas of one {@link ArenaKernel} on one OpenCL device,
 * the ranges handed out in them, every launch, and every transfer (counted in {@link #transfers()}).
 *
 * <p>A range is handed out per result ({@link #allocate}) and comes back when its {@link DeviceTensor} is no longer
 * reachable: a phantom reference per range, polled before each allocation (an op's own scratch goes back at once,
 * {@link #release}). If no range fits, a small arena grows at once to {@link #COLLECT_FREE_BYTES} (or an eighth of
 * the heap's limit), so that it holds many training steps' tensors; beyond that the JVM is asked to collect
 * (tensors of finished steps are garbage by then), and only if that frees too little does the arena grow again.
 * Growing brings its values to the host, moves them into a longer array and puts them back (two counted
 * transfers; a training run reaches its size in its first few steps). Arena arrays are at least 32 MiB, which G1
 * allocates as humongous objects that it never moves: Aparapi shares the array with the device
 * ({@code CL_MEM_USE_HOST_PTR}) and would rebuild the device buffer from the host copy if the array moved.
 */
final class DeviceArena {
    private static final int MIN_FLOATS = 8 << 20;  // 32 MiB
    private static final int MIN_DOUBLES = 4 << 20; // 32 MiB
    /** Bytes up to which a full arena grows instead of collecting first (see {@link #growsBeforeCollecting}). */
    static final long COLLECT_FREE_BYTES = 256L << 20;

    private final OpenCLDevice device;
    private final String holder;
    final ArenaKernel kernel = new ArenaKernel();
    private final ArenaSpace floats = new ArenaSpace(MIN_FLOATS);
    private final ArenaSpace doubles = new ArenaSpace(MIN_DOUBLES);
    private final ReferenceQueue<DeviceTensor> dead = new ReferenceQueue<>();
    private final Set<Range> live = new HashSet<>();
    private long h2d;
    private long d2h;
    private long bytes;
    private int launches;
    private long launchesTotal;
    private final int group;
    /** Work groups per compute unit of a per-element launch at most (see {@link #maxElementGroups()}). */
    static final int GROUPS_PER_COMPUTE_UNIT = 16;
    /**
     * The same on a CPU device (PoCL): its compute unit is a thread that runs a work group as a loop over the items,
     * at a fixed cost per group (about 5 µs on PoCL 3.1), so a small op's 32 groups cost more than its work; two per
     * thread still balance the threads. The kernels are the same; only the number of groups differs.
     */
    static final int GROUPS_PER_CPU_COMPUTE_UNIT = 2;
    private final int maxElementGroups;
    /** A launch that later calls may still join ({@link #defer}), or null. */
    private Runnable queued;
    /** Batched launches whose results nothing has used yet ({@link #later}), in the order they were queued. */
    private final java.util.LinkedHashSet<Runnable> later = new java.util.LinkedHashSet<>();

    /** A range to return once its tensor is gone. */
    private static final class Range extends PhantomReference<DeviceTensor> {
        final DType dtype;
        final int offset;
        final int size;

        Range(DeviceTensor t, ReferenceQueue<DeviceTensor> q) {
            super(t, q);
            this.dtype = t.dtype;
            this.offset = t.offset;
            this.size = t.size;
        }
    }

    DeviceArena(OpenCLDevice device, String holder) {
        this.device = device;
        this.holder = holder;
        this.group = Integer.highestOneBit(Math.max(1, Math.min(ArenaKernel.GROUP, device.getMaxWorkGroupSize())));
        int perUnit = device.getType() == com.aparapi.device.Device.TYPE.CPU ? GROUPS_PER_CPU_COMPUTE_UNIT
                : GROUPS_PER_COMPUTE_UNIT;
        this.maxElementGroups = Math.max(1, device.getMaxComputeUnits()) * perUnit;
        kernel.setExplicit(true);
        kernel.f = new float[MIN_FLOATS];
        kernel.d = new double[MIN_DOUBLES];
        put(kernel.f);
        put(kernel.d);
    }

    String holder() {
        return holder;
    }

    synchronized Transfers transfers() {
        return new Transfers(h2d, d2h, bytes, launchesTotal);
    }

    /** The float and the double arena's capacity in elements, for tests. */
    synchronized long[] capacities() {
        return new long[] {floats.capacity(), doubles.capacity()};
    }

    /** Elements handed out now in the float and the double arena, for tests and benchmarks. */
    synchronized long[] used() {
        flushLater();
        drain();
        return new long[] {floats.used(), doubles.used()};
    }

    /**
     * A fresh range for {@code size} values of {@code dtype} (contents undefined until a kernel writes them). Runs the
     * queued launch first ({@link #defer}): every op allocates its result before it sets the kernel's parameters.
     */
    synchronized DeviceTensor allocate(DType dtype, int size) {
        flush();
        return allocateQueued(dtype, size);
    }

    /**
     * As {@link #allocate}, without running the queued launch: for the op that is adding itself to that launch.
     */
    synchronized DeviceTensor allocateQueued(DType dtype, int size) {
        drain();
        ArenaSpace space = dtype == DType.FLOAT32 ? floats : doubles;
        int offset = space.allocate(size);
        if (offset < 0 && growsBeforeCollecting(dtype, space, size)) {
            grow(dtype, space, size, collectFreeElements(dtype));
            offset = space.allocate(size);
        }
        if (offset < 0) {
            System.gc();
            for (int wait = 0; wait < 20 && offset < 0; wait++) {
                sleepAMoment();
                drain();
                offset = space.allocate(size);
            }
        }
        if (offset < 0) {
            grow(dtype, space, size, 2L * space.capacity());
            offset = space.allocate(size);
        }
        DeviceTensor t = new DeviceTensor(this, dtype, offset, size);
        Range range = new Range(t, dead);
        t.range = range;
        live.add(range);
        return t;
    }

    /**
     * Returns {@code t}'s range now, for a scratch tensor of one op that no other object holds (the partial sums of
     * a reduction): every launch that reads it has run, since launches are synchronous. The phantom reference is
     * cleared, so the range is not returned twice. A training step's scratch would otherwise wait for a garbage
     * collection, and the double arena would fill with it.
     */
    synchronized void release(DeviceTensor t) {
        Range range = (Range) t.range;
        if (range != null && live.remove(range)) {
            range.clear();
            (range.dtype == DType.FLOAT32 ? floats : doubles).release(range.offset, range.size);
        }
        t.range = null;
    }

    /**
     * Whether a full arena grows at once rather than asking the JVM to collect first: while it is below
     * {@link #collectFreeElements}. Tensors of finished training steps are only found by a garbage collection, and
     * the young collections that would find them are rare (a step allocates little on the heap), so {@code
     * System.gc()} meant a full collection (20–90 ms on PoCL's two-core hosts) every two or three steps. An arena
     * that holds several steps' tensors needs one every ten or more.
     */
    private boolean growsBeforeCollecting(DType dtype, ArenaSpace space, int size) {
        return space.capacity() + (long) ArenaSpace.rounded(size) <= collectFreeElements(dtype);
    }

    /**
     * The capacity up to which an arena grows without a collection: {@link #COLLECT_FREE_BYTES}, or an eighth of
     * the heap's limit if that is less (the arena is a Java array), in elements of {@code dtype}.
     */
    private static long collectFreeElements(DType dtype) {
        long bytes = Math.min(COLLECT_FREE_BYTES, Runtime.getRuntime().maxMemory() / 8);
        return bytes / (dtype == DType.FLOAT32 ? 4 : 8);
    }

    /**
     * Queues {@code launch}, which sets the kernel's parameters and launches an op that several calls share (Adam's
     * update for several parameters): it runs before the next allocation, read-back or {@link #flush()}, so the
     * values it writes are there before anyone can launch or read. Replaces the launch queued before, which its
     * caller has folded into this one. The queued launch must keep its inputs and results reachable.
     */
    synchronized void defer(Runnable launch) {
        queued = launch;
    }

    /**
     * Queues {@code batch}, which launches ops whose results are not needed at once (a step's weight-gradient sums,
     * batch norm's running statistics) together, until one of those results is used ({@link DeviceOps#on} sees a
     * {@link DeviceTensor#pending} range), anything is read back, or the batch is full (it then launches itself).
     * Queuing the same batch again is a no-op. The batch must keep its inputs reachable and clear its results'
     * pending marks when it runs.
     */
    synchronized void later(Runnable batch) {
        later.add(batch);
    }

    /** Withdraws {@code batch} from the queue of {@link #later} (it is about to launch itself). */
    synchronized void notLater(Runnable batch) {
        later.remove(batch);
    }

    /**
     * Launches every batch queued by {@link #later}, keeping the kernel's parameters as they were: it may run in the
     * middle of an op that has set some of them (when the op's input is a pending result).
     */
    synchronized void flushLater() {
        if (later.isEmpty()) {
            return;
        }
        flush();
        Object[] saved = kernel.saveParams();
        java.util.List<Runnable> batches = new java.util.ArrayList<>(later);
        later.clear();
        for (Runnable b : batches) {
            b.run();
        }
        kernel.restoreParams(saved);
    }

    /** Runs the queued launch, if any ({@link #defer}). */
    synchronized void flush() {
        Runnable launch = queued;
        if (launch != null) {
            queued = null;
            launch.run();
        }
    }

    /**
     * Runs the per-element op with the parameters already set on the kernel over {@code items} elements: one work
     * item per element up to {@link #maxElementGroups()} work groups, beyond that each item walks several elements
     * (the kernel's grid-stride loop), so the fixed cost of starting a work item is paid per item, not per element.
     */
    synchronized void launch(int op, int items, String what) {
        if (items == 0) {
            return;
        }
        kernel.op = op;
        kernel.n = items;
        int groups = Math.min((items + group - 1) / group, maxElementGroups);
        run(com.aparapi.Range.create(device, groups * group, group), what);
    }

    /**
     * The most work groups of a per-element launch: {@link #GROUPS_PER_COMPUTE_UNIT} per compute unit, enough to
     * keep every unit of a GPU busy, few enough that each item has several elements ({@link
     * #GROUPS_PER_CPU_COMPUTE_UNIT} on a CPU device).
     */
    int maxElementGroups() {
        return maxElementGroups;
    }

    /**
     * Runs a work-group op ({@code op >= ArenaKernel.FIRST_GROUP_OP}) over {@code groups} work groups of
     * {@link #group()} items each.
     */
    synchronized void launchGroups(int op, int groups, String what) {
        if (groups == 0) {
            return;
        }
        kernel.op = op;
        kernel.n = groups * group();
        run(com.aparapi.Range.create(device, groups * group(), group()), what);
    }

    /**
     * The work-group size of every launch of the arena kernel: {@link ArenaKernel#GROUP}, or the largest power of
     * two the device allows if that is less (the tree reductions need a power of two). One size for every op,
     * because an OpenCL compiler for CPUs (PoCL) builds the kernel once per work-group size.
     */
    int group() {
        return group;
    }

    private void run(com.aparapi.Range range, String what) {
        if (queued != null) {
            throw new IllegalStateException("opencl backend: launch " + what + " while a queued launch has not run;"
                    + " the op must allocate its result (or flush) before it sets the kernel's parameters");
        }
        long start = System.nanoTime();
        Launch.execute(kernel, device, range, what);
        if (LaunchProfile.ENABLED) {
            LaunchProfile.record(what, System.nanoTime() - start);
        }
        launches = (launches + 1) % ArenaKernel.LAUNCH_COUNT_MOD;
        launchesTotal++;
    }

    /** A device copy of host FLOAT32 values (one transfer; {@code values} is read, never written). */
    synchronized DeviceTensor upload(float[] values) {
        DeviceTensor t = allocate(DType.FLOAT32, values.length);
        kernel.fio = values;
        put(values);
        kernel.oy = t.offset;
        launch(ArenaKernel.COPY_IN_F, values.length, "upload float32");
        return t;
    }

    /** A device copy of host FLOAT64 values (one transfer). */
    synchronized DeviceTensor upload(double[] values) {
        DeviceTensor t = allocate(DType.FLOAT64, values.length);
        kernel.dio = values;
        put(values);
        kernel.oy = t.offset;
        launch(ArenaKernel.COPY_IN_D, values.length, "upload float64");
        return t;
    }

    /** The values of {@code t} on the host (one transfer), after checking that every launch ran on the device. */
    synchronized float[] readFloats(DeviceTensor t) {
        flushLater();
        flush();
        float[] staging = new float[t.size + 1];
        kernel.fio = staging;
        kernel.oa = t.offset;
        launch(ArenaKernel.COPY_OUT_F, Math.max(1, t.size), "read back float32");
        get(staging);
        checkLaunchCount(staging[t.size], t);
        Reference.reachabilityFence(t);
        return java.util.Arrays.copyOf(staging, t.size);
    }

    /** As {@link #readFloats}, for FLOAT64 values. */
    synchronized double[] readDoubles(DeviceTensor t) {
        flushLater();
        flush();
        double[] staging = new double[t.size + 1];
        kernel.dio = staging;
        kernel.oa = t.offset;
        launch(ArenaKernel.COPY_OUT_D, Math.max(1, t.size), "read back float64");
        get(staging);
        checkLaunchCount(staging[t.size], t);
        Reference.reachabilityFence(t);
        return java.util.Arrays.copyOf(staging, t.size);
    }

    /** Releases the device buffers; the arena must not be used afterwards. */
    synchronized void dispose() {
        queued = null;
        later.clear();
        kernel.dispose();
    }

    private void checkLaunchCount(double counted, DeviceTensor t) {
        if (counted != launches) {
            throw Launch.notOnDevice(kernel, device, "read back " + t, "the device counted launch " + (long) counted
                    + " (mod 2^20) where the host made " + launches + ", so some launch did not run there; ");
        }
    }

    /** Returns the ranges of tensors that are gone. */
    private void drain() {
        for (Reference<? extends DeviceTensor> r = dead.poll(); r != null; r = dead.poll()) {
            Range range = (Range) r;
            live.remove(range);
            (range.dtype == DType.FLOAT32 ? floats : doubles).release(range.offset, range.size);
        }
    }

    /**
     * Grows the arena to {@code target} elements (at least to fit {@code size} more), keeping every value at its
     * offset.
     */
    private void grow(DType dtype, ArenaSpace space, int size, long target) {
        long wanted = Math.max(target, (long) space.capacity() + ArenaSpace.rounded(size));
        if (wanted > Integer.MAX_VALUE - 64) {
            throw new IllegalStateException("opencl backend: the " + dtype + " arena on " + holder + " holds "
                    + space.capacity() + " values and cannot grow for " + size + " more (live tensors use "
                    + space.used() + ")");
        }
        int capacity = (int) wanted;
        if (dtype == DType.FLOAT32) {
            get(kernel.f);
            kernel.f = java.util.Arrays.copyOf(kernel.f, capacity);
            put(kernel.f);
        } else {
            get(kernel.d);
            kernel.d = java.util.Arrays.copyOf(kernel.d, capacity);
            put(kernel.d);
        }
        space.grow(capacity);
    }

    private void put(float[] a) {
        kernel.put(a);
        h2d++;
        bytes += 4L * a.length;
    }

    private void put(double[] a) {
        kernel.put(a);
        h2d++;
        bytes += 8L * a.length;
    }

    private void get(float[] a) {
        kernel.get(a);
        d2h++;
        bytes += 4L * a.length;
    }

    private void get(double[] a) {
        kernel.get(a);
        d2h++;
        bytes += 8L * a.length;
    }

    private static void sleepAMoment() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
