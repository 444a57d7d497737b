package io.sipflow.gpu;

import com.aparapi.device.OpenCLDevice;

/**
 * Gradient of 2-D convolution with respect to the weights, in FLOAT64, as one partial sum per weight element
 * and batch element (so a 3×3×16×16 layer still has thousands of work items):
 * <pre>  part[(o,c,u,v), n] = Σ_{i,j} gy[n,o,i,j] · x[n,c, i+u−p, j+v−p]  </pre>
 * summed in double over i, j in order; the caller adds the partials over n. Indices as in {@link ConvF64Kernel}.
 * FLOAT32 runs in {@link ArenaKernel} on resident tensors; this per-call kernel copies its inputs in and out.
 */
final class ConvWeightGradF64Kernel extends DeviceKernel {
    double[] gy = new double[1];
    double[] x = new double[1];
    double[] part = new double[1];
    int n;
    int c;
    int h;
    int wd;
    int k;
    int circular;
    int total;

    @Override
    public void run() {
        int gid = getGlobalId();
        markRan(gid);
        if (gid < total) {
            int b = gid % n;
            int e = gid / n;             // ((oc * c + ci) * k + u) * k + v
            int v = e % k;
            int u = (e / k) % k;
            int ci = (e / (k * k)) % c;
            int oc = e / (k * k * c);
            int o = total / (n * c * k * k);
            int p = k / 2;
            int xBase = (b * c + ci) * h * wd;
            int yBase = (b * o + oc) * h * wd;
            double s = 0;
            for (int i = 0; i < h; i++) {
                int si = source(i + u - p, h);
                if (si >= 0) {
                    for (int j = 0; j < wd; j++) {
                        int sj = source(j + v - p, wd);
                        if (sj >= 0) {
                            s += gy[yBase + i * wd + j] * x[xBase + si * wd + sj];
                        }
                    }
                }
            }
            part[gid] = s;
        }
    }

    /** Row/column {@code s} inside [0, size): wrapped for CIRCULAR, −1 (a padding zero) for ZERO. */
    int source(int s, int size) {
        int r = s;
        if (s < 0 || s >= size) {
            r = -1;
            if (circular != 0) {
                r = ((s % size) + size) % size;
            }
        }
        return r;
    }

    /** Partials (o·c·k·k, n) for gy (n, o, h, wd) and x (n, c, h, wd). */
    synchronized double[] partials(OpenCLDevice device, double[] gy, double[] x, int n, int c, int h, int wd, int o,
                                  int k, boolean circular) {
        // Both inputs are sent on every call: an array seen before may hold new values (BufferPool reuses arrays).
        this.gy = gy;
        putCounted(gy);
        this.x = x;
        putCounted(x);
        this.n = n;
        this.c = c;
        this.h = h;
        this.wd = wd;
        this.k = k;
        this.circular = circular ? 1 : 0;
        this.total = o * c * k * k * n;
        this.part = new double[total];
        Launch.run(this, device, total, "conv2dBackwardWeight float64");
        getCounted(part);
        return part;
    }
}
