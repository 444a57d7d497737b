package io.sipflow.gpu;

import com.aparapi.device.OpenCLDevice;

/**
 * 2-D convolution in FLOAT64 (NCHW, weights OIkk, odd k, stride 1, "same" padding p = k/2), one work item per
 * output element, summing in double in the order of {@code ReferenceConv.forward} (bias, then c, u, v):
 * <pre>  y[n,o,i,j] = b[o] + Σ_c Σ_{u,v} w[o,c,u,v] · x[n,c, i+u−p, j+v−p]  </pre>
 * with indices wrapped (CIRCULAR) or terms outside the image dropped (ZERO). The backend also runs the gradient
 * with respect to x through this kernel, with flipped, transposed weights. FLOAT32 convolutions run in
 * {@link ArenaKernel} on resident tensors; this per-call kernel copies its inputs in and its result out.
 */
final class ConvF64Kernel extends DeviceKernel {
    double[] x = new double[1];
    double[] w = new double[1];
    double[] bias = new double[1];
    double[] y = new double[1];
    int c;
    int h;
    int wd;
    int o;
    int k;
    int hasBias;
    int circular;
    int total;

    @Override
    public void run() {
        int gid = getGlobalId();
        markRan(gid);
        if (gid < total) {
            int j = gid % wd;
            int i = (gid / wd) % h;
            int oc = (gid / (wd * h)) % o;
            int b = gid / (wd * h * o);
            int p = k / 2;
            double s = 0;
            if (hasBias != 0) {
                s = bias[oc];
            }
            for (int ci = 0; ci < c; ci++) {
                int xBase = (b * c + ci) * h * wd;
                int wBase = (oc * c + ci) * k * k;
                for (int u = 0; u < k; u++) {
                    int si = source(i + u - p, h);
                    if (si >= 0) {
                        for (int v = 0; v < k; v++) {
                            int sj = source(j + v - p, wd);
                            if (sj >= 0) {
                                s += w[wBase + u * k + v] * x[xBase + si * wd + sj];
                            }
                        }
                    }
                }
            }
            y[gid] = s;
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

    /** x (n, c, h, wd) ⊛ w (o, c, k, k) + bias (o, or null) → (n, o, h, wd). */
    synchronized double[] convolve(OpenCLDevice device, double[] x, double[] w, double[] bias, int n, int c, int h,
                                  int wd, int o, int k, boolean circular, String what) {
        // Every input is sent on every call: an array seen before may hold new values (BufferPool reuses arrays).
        this.x = x;
        putCounted(x);
        this.w = w;
        putCounted(w);
        if (bias != null) {
            this.bias = bias;
            putCounted(bias);
        }
        this.hasBias = bias == null ? 0 : 1;
        this.c = c;
        this.h = h;
        this.wd = wd;
        this.o = o;
        this.k = k;
        this.circular = circular ? 1 : 0;
        this.total = n * o * h * wd;
        this.y = new double[total];
        Launch.run(this, device, total, what);
        getCounted(y);
        return y;
    }
}
