package io.sipflow.autodiff;

import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Output arrays for kernels, recycled from values nobody can read any more.
 *
 * <p>A kernel takes its output array here ({@link #floats}, {@link #doubles}) instead of {@code new}, writes every
 * element, and wraps it in a tensor. The array is "issued":
 * <pre>{@code
 * float[] y = BufferPool.floats(x.length);          // recycled or new; old values, so write every element
 * for (int i = 0; i < x.length; i++) {
 *     y[i] = Math.max(x[i], 0f);
 * }
 * float[] g = BufferPool.zeroedFloats(x.length);    // a scatter or sum into it needs zeros
 * }</pre>
 * It comes back in these ways, each only when the tensor holding it is dead:
 * <ul>
 *   <li>{@link Autodiff}'s backward pass gives back an adjoint once every op that read it has run its VJP, when it
 *       is not a gradient the caller asked for, no gradient still held shares the array, it was made during this
 *       pass, and the pass is not recorded (a recorded, second-order pass keeps every adjoint in the graph it
 *       builds; see {@code AdjointRecycler});</li>
 *   <li>a closing {@link BufferScope} gives back the values of the graph a first-order FREE_GRAPH pass freed inside
 *       it, except the ones kept;</li>
 *   <li>an op gives back an intermediate it made and handed to no one, and a module under {@code noGrad} an
 *       activation once the next layer has read it ({@link #recycleTemporary});</li>
 *   <li>a first-order FREE_GRAPH backward pass gives back, when it ends, the activations modules marked as internal
 *       ({@link #recycleAfterBackward}), with or without a scope;</li>
 *   <li>such a pass also gives back, when it ends, the constants fed into the graph it freed whose makers attached
 *       them to it ({@link #recycleWithGraphOf});</li>
 *   <li>a FREE_GRAPH backward pass that frees an op's node gives back the state the op kept for its VJP alone (a max
 *       pooling's argmax codes, {@link #bytes}, {@link #recycleWhenFreed}).</li>
 * </ul>
 * The tensor that held it is then marked recycled: reading it throws an {@link IllegalStateException} naming the op,
 * instead of showing values that changed. An array is given back at most once per issue (it leaves the issued set
 * when it is given back), so one array never serves two live tensors.
 *
 * <p>A recycled array holds old values, not zeros: a kernel that accumulates into its output must fill it first.
 * Arrays shorter than {@value #MIN_LENGTH} elements are always new (cheap to allocate, not worth the bookkeeping).
 * The arrays waiting for reuse are held through soft references, so the collector takes them back before the heap
 * would run out, and bounded by the maximum heap: what a training step gives back is what it had live a moment
 * before, and the next step needs all of it again (a bound of half the heap dropped part of every step's arrays
 * under the launcher's planned heap, and the step allocated them anew). The system property
 * {@code sipflow.recycle=false} turns recycling off (every array is then new, as without the pool).
 *
 * <p>The one way to defeat this: holding the raw array of an intermediate gradient ({@link Tensor#floatData()}
 * inside a VJP) past the backward pass. Keep a tensor, or a copy ({@link Tensor#toFloatArray()}), instead.
 */
public final class BufferPool {
    /** Arrays shorter than this are allocated fresh and never recycled. */
    public static final int MIN_LENGTH = 4096;

    private static final long CAPACITY_BYTES = Runtime.getRuntime().maxMemory();
    /** Element types of the free lists' keys, and their sizes in bytes. */
    private static final int FLOAT = 0;
    private static final int DOUBLE = 1;
    private static final int BYTE = 2;
    private static final int[] ELEMENT_BYTES = {Float.BYTES, Double.BYTES, Byte.BYTES};
    /** Issued arrays, each with its issue number (which {@link BufferScope#noGrad} scopes compare with their start). */
    private static final Map<Object, Long> ISSUED = Collections.synchronizedMap(new WeakHashMap<>());
    private static final AtomicLong ISSUES = new AtomicLong();
    private static final Map<Long, ArrayDeque<SoftReference<Object>>> FREE = new HashMap<>();
    private static long freeBytes;
    private static volatile boolean enabled = !"false".equals(System.getProperty("sipflow.recycle"));
    private static long recycledCount;
    private static long reusedCount;
    private static long issuedCount;

    private BufferPool() {
    }

    /**
     * An array for a FLOAT32 op output: a recycled one of this length when one is waiting, else a new one.
     *
     * @param length the element count
     * @return an array of {@code length} floats with arbitrary values; the caller must write every element
     */
    public static float[] floats(int length) {
        return (float[]) issue(length, FLOAT);
    }

    /**
     * As {@link #floats}, filled with zeros: for a kernel that writes only some elements (a scatter) or accumulates.
     *
     * @param length the element count
     * @return an array of {@code length} zeros
     */
    public static float[] zeroedFloats(int length) {
        float[] a = floats(length);
        if (length >= MIN_LENGTH && enabled) { // a new array below that, or with the pool off, is zero already
            java.util.Arrays.fill(a, 0f);
        }
        return a;
    }

    /**
     * An array for a FLOAT64 op output (see {@link #floats}).
     *
     * @param length the element count
     * @return an array of {@code length} doubles with arbitrary values; the caller must write every element
     */
    public static double[] doubles(int length) {
        return (double[]) issue(length, DOUBLE);
    }

    /**
     * An array for state an op keeps for its VJP alone (a max pooling's argmax codes, one byte per window), recycled
     * or new as {@link #floats}; it comes back through {@link #recycleWhenFreed}.
     *
     * @param length the element count
     * @return an array of {@code length} bytes with arbitrary values; the caller must write every element
     */
    public static byte[] bytes(int length) {
        return (byte[]) issue(length, BYTE);
    }

    /** A recycled array of this length and element type when one is waiting, else a new one; issued unless small. */
    private static Object issue(int length, int type) {
        if (length < MIN_LENGTH || !enabled) {
            return newArray(length, type);
        }
        Object a = take(key(length, type));
        if (a == null) {
            a = newArray(length, type);
        }
        ISSUED.put(a, ISSUES.incrementAndGet());
        return a;
    }

    private static Object newArray(int length, int type) {
        return switch (type) {
            case FLOAT -> new float[length];
            case DOUBLE -> new double[length];
            default -> new byte[length];
        };
    }

    /**
     * For ops: gives back the array of an intermediate value the calling op computed itself and handed to no one
     * (an upsampled copy that a convolution has consumed, say), so the op's next temporary of that size reuses it.
     * Reading {@code temporary} afterwards throws an {@link IllegalStateException} naming {@code op}. A tensor on the
     * graph (with a node, or requiring a gradient: a recorded backward pass may still use it) is left alone, and so is
     * one whose array the pool did not issue.
     *
     * @param temporary the intermediate, not referenced after this call
     * @param op the op that made it, for the error a later read would throw
     */
    public static void recycleTemporary(Tensor temporary, String op) {
        recycleTemporary(temporary, op, new Tensor[0]);
    }

    /**
     * As {@link #recycleTemporary(Tensor, String)}, except that the value is left alone when one of {@code live}
     * holds its array: what was computed from it (an op may return its input unchanged, or a view of it) and what it
     * may be a view of. A module gives back its intermediate activations this way under {@code noGrad}:
     * <pre>{@code
     * Tensor h = conv1.forward(x);
     * Tensor y = norm1.forward(h);
     * if (!Autodiff.isRecording()) {        // no graph can read h later
     *     BufferPool.recycleTemporary(h, "MyBlock.forward", y);
     * }
     * }</pre>
     *
     * @param temporary the intermediate, not referenced after this call
     * @param op what made it, for the error a later read would throw
     * @param live values that stay in use (null entries are skipped)
     */
    public static void recycleTemporary(Tensor temporary, String op, Tensor... live) {
        if (temporary == null || temporary.node() != null || temporary.requiresGrad()) {
            return;
        }
        if (sharesArray(temporary, live)) {
            return;
        }
        temporary.recycle("an intermediate of '" + op + "' (" + temporary.shape() + " " + temporary.dtype()
                + "), which went back to the buffer pool after use");
    }

    /**
     * For modules: {@code value}, a graph value that nothing but the graph reads (an activation inside a module,
     * which its caller never sees), goes back to the pool when a first-order backward pass with
     * {@link Autodiff.AfterBackward#FREE_GRAPH} has run through it, at the end of that pass, even when no
     * {@link BufferScope} is open: the next step's activation of that size reuses it. Nothing happens when
     * {@code value} is not on a graph, or one of {@code live} holds its array; a KEEP_GRAPH pass and a recorded
     * (second-order) pass give back nothing. The value must not be handed out: reading it after such a pass throws
     * an {@link IllegalStateException} naming the op that made it and {@code owner}.
     * {@link #recycleInternal} chooses between this and {@link #recycleTemporary} for a module.
     *
     * @param value the graph value
     * @param owner the module and method it is internal to, for the error a later read would throw
     * @param live values that stay in use (null entries are skipped)
     */
    public static void recycleAfterBackward(Tensor value, String owner, Tensor... live) {
        if (value == null || value.node() == null || sharesArray(value, live)) {
            return;
        }
        value.node().markInternalTo(owner);
    }

    /**
     * For modules: gives back {@code value}, an intermediate activation the module made and handed only to the ops
     * that computed what came next, as soon as nothing can read it: now when nothing records a graph
     * ({@link #recycleTemporary}), when a freeing first-order backward pass ends otherwise
     * ({@link #recycleAfterBackward}). Left alone when one of {@code live} holds its array (an activation that
     * returned its input unchanged, a view).
     * <pre>{@code
     * Tensor h = conv1.forward(x);
     * Tensor y = norm1.forward(h);
     * BufferPool.recycleInternal(h, "MyBlock.forward", y);   // h is read by nothing after this but the graph
     * }</pre>
     *
     * @param value the activation, not referenced after this call
     * @param owner the module and method, for the error a later read would throw
     * @param live values that stay in use: what was computed from {@code value}, and what it may be a view of
     */
    public static void recycleInternal(Tensor value, String owner, Tensor... live) {
        if (Autodiff.isRecording()) {
            recycleAfterBackward(value, owner, live);
        } else {
            recycleTemporary(value, owner, live);
        }
    }

    /**
     * For code that feeds a constant it made into a graph and hands it to no one else (a problem's FLOAT32 copy of
     * its observation, which the network's first convolution keeps for its weight gradient): {@code constant} goes
     * back to the pool when a first-order backward pass with {@link Autodiff.AfterBackward#FREE_GRAPH} that freed
     * {@code result}'s node ends. {@code result} must be computed from {@code constant}, and every op that reads
     * {@code constant} must lie between them, so that the pass has run and freed each of them by then. Nothing
     * happens when {@code constant} is on a graph itself, {@code result} is not, or one of {@code live} holds
     * {@code constant}'s array; a KEEP_GRAPH or recorded pass gives back nothing. Reading {@code constant} after such
     * a pass throws an {@link IllegalStateException} naming {@code owner}.
     * <pre>{@code
     * Tensor input = observation.constant().to(DType.FLOAT32);   // a copy only this method sees
     * Tensor raw = network.forward(input);
     * BufferPool.recycleWithGraphOf(input, raw, "MyProblem.predict", observation);
     * }</pre>
     *
     * @param constant the constant, not on a graph
     * @param result a graph value computed from it
     * @param owner what made the constant, for the error a later read would throw
     * @param live values that stay in use (null entries are skipped)
     */
    public static void recycleWithGraphOf(Tensor constant, Tensor result, String owner, Tensor... live) {
        if (constant == null || constant.requiresGrad() || result == null || result.node() == null
                || sharesArray(constant, live)) {
            return;
        }
        result.node().addCompanion(constant, owner);
    }

    /**
     * For ops: {@code state}, an array from {@link #bytes} that only {@code value}'s VJP reads (the argmax codes a max
     * pooling keeps for its backward pass), goes back to the pool once nothing can run that VJP: when a backward
     * pass with {@link Autodiff.AfterBackward#FREE_GRAPH} frees {@code value}'s node (after the VJP ran; a KEEP_GRAPH
     * pass keeps it for the next), or at once when {@code value} is on no graph ({@code noGrad}: no VJP was
     * recorded). The op must not hand {@code state} to anyone else.
     *
     * <pre>{@code
     * byte[] codes = BufferPool.bytes(n);                 // filled by the forward kernel
     * Tensor y = Graph.record("myPool", value, x, g -> new Tensor[] {scatter(g, codes)});
     * BufferPool.recycleWhenFreed(y, codes);
     * }</pre>
     *
     * @param value the op's output, just recorded
     * @param state the array only its VJP reads
     */
    public static void recycleWhenFreed(Tensor value, byte[] state) {
        if (state == null) {
            return;
        }
        if (value.node() == null) {
            giveBack(state);
        } else {
            value.node().holdUntilFreed(state);
        }
    }

    /** Puts {@code state} on the free list when the pool issued it and has not had it back (else: nothing). */
    static void giveBack(byte[] state) {
        if (enabled && claim(state)) {
            offer(state);
        }
    }

    /** True when one of {@code live} holds {@code t}'s host array. */
    private static boolean sharesArray(Tensor t, Tensor[] live) {
        Object array = t.hostArray();
        for (Tensor s : live) {
            if (s != null && array != null && s.hostArray() == array) {
                return true;
            }
        }
        return false;
    }

    /**
     * Removes {@code array} from the issued set: true when it was issued and not given back since, so the caller
     * (a dead adjoint's storage) may {@linkplain #offer offer} it. False for any array the pool did not hand out.
     */
    static boolean claim(Object array) {
        return ISSUED.remove(array) != null;
    }

    /** {@return the number of the last array issued so far: arrays issued later have higher numbers} */
    static long issueMark() {
        return ISSUES.get();
    }

    /** True when the pool issued {@code array} after {@code mark} ({@link #issueMark}) and has not had it back. */
    static boolean issuedSince(Object array, long mark) {
        Long n = ISSUED.get(array);
        return n != null && n > mark;
    }

    /** True when the pool issued {@code array} and has not had it back. */
    static boolean isIssued(Object array) {
        return ISSUED.containsKey(array);
    }

    /** Puts a claimed array on the free list, unless the list is full (then the collector takes it). */
    static synchronized void offer(Object array) {
        int type = array instanceof double[] ? DOUBLE : array instanceof byte[] ? BYTE : FLOAT;
        int length = type == DOUBLE ? ((double[]) array).length
                : type == BYTE ? ((byte[]) array).length : ((float[]) array).length;
        long bytes = (long) length * ELEMENT_BYTES[type];
        recycledCount++;
        if (freeBytes + bytes > CAPACITY_BYTES) {
            dropCleared();
            if (freeBytes + bytes > CAPACITY_BYTES) {
                return;
            }
        }
        FREE.computeIfAbsent(key(length, type), k -> new ArrayDeque<>()).push(new SoftReference<>(array));
        freeBytes += bytes;
    }

    /** A recycled array for {@code key}, or null: the caller then allocates one. Counts the issue either way. */
    private static synchronized Object take(long key) {
        issuedCount++;
        ArrayDeque<SoftReference<Object>> list = FREE.get(key);
        while (list != null && !list.isEmpty()) {
            Object a = list.poll().get();
            freeBytes -= bytes(key);
            if (a != null) {
                reusedCount++;
                return a;
            }
        }
        return null;
    }

    /** Forgets the arrays the collector took (soft references: a waiting array never causes an OutOfMemoryError). */
    private static void dropCleared() {
        for (Map.Entry<Long, ArrayDeque<SoftReference<Object>>> e : FREE.entrySet()) {
            int before = e.getValue().size();
            e.getValue().removeIf(ref -> ref.get() == null);
            freeBytes -= (before - e.getValue().size()) * bytes(e.getKey());
        }
    }

    private static long bytes(long key) {
        return (key >>> 2) * ELEMENT_BYTES[(int) (key & 3)];
    }

    /** The free list's key: the length, and the element type in the low two bits. */
    private static long key(int length, int type) {
        return ((long) length << 2) | type;
    }

    static boolean isEnabled() {
        return enabled;
    }

    /** Turns recycling on or off and empties the free list (for tests that compare both). */
    static synchronized void setEnabled(boolean on) {
        enabled = on;
        FREE.clear();
        freeBytes = 0;
    }

    /**
     * What the pool has done since the JVM started: arrays of at least {@value #MIN_LENGTH} elements it handed out
     * ({@code issued}), how many of those were recycled ones ({@code reused}), and arrays given back
     * ({@code recycled}). The difference of two readings shows whether a loop reuses its arrays:
     * <pre>{@code
     * BufferPool.Counts before = BufferPool.counts();
     * Autodiff.noGrad(() -> net.forward(x));
     * long fresh = BufferPool.counts().allocatedSince(before);   // new arrays the call made
     * }</pre>
     *
     * @param issued arrays handed out
     * @param reused of those, taken from the free list instead of allocated
     * @param recycled arrays given back to the pool
     */
    public record Counts(long issued, long reused, long recycled) {
        /** {@return the arrays allocated new (issued, not reused)} */
        public long allocated() {
            return issued - reused;
        }

        /**
         * {@return the arrays allocated new between {@code earlier} and this reading}
         *
         * @param earlier a reading taken before this one
         */
        public long allocatedSince(Counts earlier) {
            return allocated() - earlier.allocated();
        }
    }

    /** {@return the pool's counts so far (see {@link Counts})} */
    public static synchronized Counts counts() {
        return new Counts(issuedCount, reusedCount, recycledCount);
    }

    /** Arrays given back by backward passes so far. */
    static synchronized long recycledCount() {
        return recycledCount;
    }

    /** Arrays handed out again from the free list so far. */
    static synchronized long reusedCount() {
        return reusedCount;
    }
}
