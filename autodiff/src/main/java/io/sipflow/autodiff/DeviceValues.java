package io.sipflow.autodiff;

/**
 * A tensor's values held off the host by a backend (an OpenCL device buffer), read back only when the host needs
 * them. A backend makes one with its kernels' results and wraps it with {@link Tensor#onDevice}; ops of that
 * backend find it again with {@link Tensor#deviceValues()} and move no data.
 *
 * <p>Values are immutable, like the tensor: {@link #readFloats()} / {@link #readDoubles()} may be called any
 * number of times and always return the same numbers (the tensor calls one of them at most once and keeps the
 * copy).
 */
public interface DeviceValues {
    /** {@return the backend (or device) that holds the values, for messages: "opencl on pthread-..."} */
    String holder();

    /**
     * {@return the element type; FLOAT32 values are read with {@link #readFloats()}, FLOAT64 with
     * {@link #readDoubles()}}
     */
    DType dtype();

    /** {@return the number of elements, equal to the tensor's size} */
    int size();

    /** {@return a fresh host copy of FLOAT32 values (one device-to-host transfer)} */
    float[] readFloats();

    /** {@return a fresh host copy of FLOAT64 values (one device-to-host transfer)} */
    double[] readDoubles();
}
