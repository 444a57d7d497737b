package io.sipflow.gpu;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * First-fit allocation of element ranges in one arena, with neighbouring free ranges merged. Offsets start at
 * {@link #FIRST} (element 0 of the float arena holds the launch count) and are multiples of {@link #ALIGN}
 * elements, so every range starts on a 64-byte boundary of the device buffer.
 */
final class ArenaSpace {
    static final int FIRST = 16;
    static final int ALIGN = 16;

    private final TreeMap<Integer, Integer> free = new TreeMap<>(); // start → length
    private int capacity;
    private long used;

    ArenaSpace(int capacity) {
        this.capacity = capacity;
        free.put(FIRST, capacity - FIRST);
    }

    int capacity() {
        return capacity;
    }

    /** Elements currently handed out. */
    long used() {
        return used;
    }

    /** The offset of a free range of {@code size} elements (rounded up to ALIGN), or −1 if none is large enough. */
    int allocate(int size) {
        int need = rounded(size);
        Iterator<Map.Entry<Integer, Integer>> it = free.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Integer, Integer> e = it.next();
            if (e.getValue() >= need) {
                int start = e.getKey();
                int rest = e.getValue() - need;
                it.remove();
                if (rest > 0) {
                    free.put(start + need, rest);
                }
                used += need;
                return start;
            }
        }
        return -1;
    }

    /** Returns the range that {@link #allocate} gave for {@code size} elements at {@code start}. */
    void release(int start, int size) {
        int len = rounded(size);
        used -= len;
        Map.Entry<Integer, Integer> before = free.floorEntry(start);
        if (before != null && before.getKey() + before.getValue() == start) {
            start = before.getKey();
            len += before.getValue();
            free.remove(start);
        }
        Integer after = free.remove(start + len);
        if (after != null) {
            len += after;
        }
        free.put(start, len);
    }

    /** Extends the arena to {@code newCapacity} elements (the caller has copied the values over). */
    void grow(int newCapacity) {
        int start = capacity;
        int len = newCapacity - capacity;
        capacity = newCapacity;
        Map.Entry<Integer, Integer> last = free.floorEntry(start);
        if (last != null && last.getKey() + last.getValue() == start) {
            start = last.getKey();
            len += last.getValue();
        }
        free.put(start, len);
    }

    static int rounded(int size) {
        return Math.max(ALIGN, (size + ALIGN - 1) / ALIGN * ALIGN);
    }
}
