package io.sipflow.gpu;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.DeviceValues;

/**
 * A tensor's values as a range of a {@link DeviceArena}: {@code size} elements of the float or double arena from
 * {@code offset}. The range is returned to the arena when this object becomes unreachable (after the last tensor
 * holding it), through a phantom reference the arena polls.
 */
final class DeviceTensor implements DeviceValues {
    final DeviceArena arena;
    final DType dtype;
    final int offset;
    final int size;
    /** The arena's record of this range (a phantom reference to this tensor), for {@link DeviceArena#release}. */
    Object range;
    /**
     * True while the launch that writes this range waits in a batch ({@link DeviceArena#later}): whoever uses the
     * range first launches the batch ({@link DeviceOps#on}, a read-back).
     */
    boolean pending;

    DeviceTensor(DeviceArena arena, DType dtype, int offset, int size) {
        this.arena = arena;
        this.dtype = dtype;
        this.offset = offset;
        this.size = size;
    }

    @Override
    public String holder() {
        return arena.holder();
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public float[] readFloats() {
        return arena.readFloats(this);
    }

    @Override
    public double[] readDoubles() {
        return arena.readDoubles(this);
    }

    @Override
    public String toString() {
        return size + " " + dtype + " values at " + offset + " on " + holder();
    }
}
