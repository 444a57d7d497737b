package io.sipflow.gpu;

import com.aparapi.device.OpenCLDevice;

/**
 * Batched matrix product in FLOAT64, one work item per output element, summing in double over p in order:
 * <pre>  z[b,i,j] = Σ_p a[b,i,p] · y[b,p,j]  </pre>
 * FLOAT32 runs in {@link ArenaKernel} on resident tensors; this per-call kernel copies its inputs in and out.
 */
final class MatmulF64Kernel extends DeviceKernel {
    double[] a = new double[1];
    double[] y = new double[1];
    double[] z = new double[1];
    int m;
    int k;
    int n;
    int total;

    @Override
    public void run() {
        int gid = getGlobalId();
        markRan(gid);
        if (gid < total) {
            int j = gid % n;
            int row = gid / n;           // b * m + i
            int b = row / m;
            int aBase = row * k;
            int yBase = b * k * n + j;
            double s = 0;
            for (int p = 0; p < k; p++) {
                s += a[aBase + p] * y[yBase + p * n];
            }
            z[gid] = s;
        }
    }

    /**
     * a (batch, m, k) × y (batch, k, n) → (batch, m, n). Both inputs are sent on every call: an array seen before may
     * hold new values (BufferPool reuses arrays), so its identity proves nothing.
     */
    synchronized double[] multiply(OpenCLDevice device, double[] a, double[] y, int batch, int m, int k, int n) {
        this.a = a;
        putCounted(a);
        this.y = y;
        putCounted(y);
        this.m = m;
        this.k = k;
        this.n = n;
        this.total = batch * m * n;
        this.z = new double[total];
        Launch.run(this, device, total, "matmul float64");
        getCounted(z);
        return z;
    }
}
