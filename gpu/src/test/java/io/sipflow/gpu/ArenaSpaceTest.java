package io.sipflow.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The arena's range allocator: first fit, aligned offsets, merging of freed neighbours, growth at the end. */
class ArenaSpaceTest {
    @Test
    void rangesAreAlignedAndFreedNeighboursMerge() {
        ArenaSpace s = new ArenaSpace(ArenaSpace.FIRST + 64);
        int a = s.allocate(10);  // 16 elements
        int b = s.allocate(16);
        int c = s.allocate(17);  // 32 elements: the arena is full
        assertEquals(ArenaSpace.FIRST, a);
        assertEquals(ArenaSpace.FIRST + 16, b);
        assertEquals(ArenaSpace.FIRST + 32, c);
        assertEquals(-1, s.allocate(1), "full");
        s.release(a, 10);
        s.release(b, 16);
        assertEquals(a, s.allocate(32), "a and b merged into one 32-element range");
        s.release(c, 17);
        assertEquals(32, s.used());
    }

    @Test
    void growthAppendsToTheLastFreeRange() {
        ArenaSpace s = new ArenaSpace(ArenaSpace.FIRST + 32);
        int a = s.allocate(16);
        assertEquals(-1, s.allocate(32));
        s.grow(ArenaSpace.FIRST + 64);
        assertEquals(a + 16, s.allocate(48), "the 16 free elements before the old end and the 32 new ones are one range");
    }
}
