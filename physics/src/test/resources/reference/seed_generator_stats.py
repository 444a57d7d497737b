# NumPy transcription of the seed notebook's generate_heat_example, used to get the reference statistics
# that HeatExamplesTest asserts (mean total heat, covered fraction at 64x64). Run: /usr/bin/python3 seed_generator_stats.py
import numpy as np
rng = np.random.default_rng(0)
def gen(b, n):
    L = float(n)
    counts = (4 + 7*rng.random(b)).astype(int)
    pos = (rng.random((b,10,2)) - 0.5)*L*0.8 + L*0.5
    c = np.arange(n) + 0.5
    Y, X = np.meshgrid(c, c, indexing='ij')
    out = np.zeros((b,n,n))
    for i in range(10):
        h = rng.random((b,2))*10
        s = rng.random(b) * (i < counts)
        p = np.clip(pos[:,i], h, L - h)
        d = np.maximum(np.abs(Y[None]-p[:,0,None,None]) - h[:,0,None,None], np.abs(X[None]-p[:,1,None,None]) - h[:,1,None,None])
        m = np.clip(0.5 - d/np.sqrt(0.5), 0, 1)
        out += m * s[:,None,None]
    return out
x = np.concatenate([gen(256,64) for _ in range(400)])
tot = x.sum(axis=(1,2)); cov = (x>0).mean(axis=(1,2))
print("N", len(x), "total mean", tot.mean(), "std", tot.std(), "sem", tot.std()/np.sqrt(len(x)))
print("cov mean", cov.mean(), "std", cov.std(), "sem", cov.std()/np.sqrt(len(x)))
print("per 1024 sample: total sem", tot.std()/32, "cov sem", cov.std()/32)
cov2 = (x>1e-9).mean(axis=(1,2)); print(cov2.mean())
