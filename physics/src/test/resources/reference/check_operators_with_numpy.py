#!/usr/bin/env python3
"""Side-by-side check of `sipflow physics diffuse|inverse` against NumPy's FFT (the seed's formulas).

Usage (repo root):  /usr/bin/python3 physics/src/test/resources/reference/check_operators_with_numpy.py
Writes random fields and a heat residual to a temp folder, runs ./sipflow on them, prints max abs differences.
"""
import os, subprocess, sys, tempfile
import numpy as np

def diffuse(v, amount=8.0):
    ny, nx = v.shape[-2:]
    k2 = np.fft.fftfreq(ny)[:, None] ** 2 + np.fft.fftfreq(nx)[None, :] ** 2
    return np.fft.ifft2(np.fft.fft2(v) * np.exp(-(2 * np.pi) ** 2 * k2 * amount)).real

def inverse(r, amount=8.0, scale=1e-6):
    """inv_diffuse + apply_damping of the seed notebook, as in bench/torch_sip_step.py."""
    ny, nx = r.shape[-2:]
    k2 = np.fft.fftfreq(ny)[:, None] ** 2 + np.fft.fftfreq(nx)[None, :] ** 2
    log_kernel = (2 * np.pi) ** 2 * k2 * amount
    f_unc = np.sqrt(np.sum((np.abs(r) * scale) ** 2, axis=(-2, -1), keepdims=True))
    amp = np.fft.fft2(r)
    a = np.abs(amp)
    with np.errstate(all='ignore'):
        sig = np.exp(-0.5 * (a / (nx * np.exp(-log_kernel))) ** 2) * 0.5
        sig = np.where(np.isfinite(sig), sig, 0)
        noise = np.exp(-0.5 * (a / f_unc) ** 2) * 0.5
        den = sig + noise
        p = np.where(den != 0, sig / np.where(den != 0, den, 1), 0)
    action = np.where((p <= 0.5) | (p >= 0.68), 2 * (p - 0.5), 0)
    return np.fft.ifft2(amp * np.exp(log_kernel * action)).real

def sipflow(*args):
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), *[os.pardir] * 5))
    subprocess.run([os.path.join(root, 'sipflow'), *args], check=True, stdout=subprocess.DEVNULL)

d = tempfile.mkdtemp()
rng = np.random.default_rng(0)
u = rng.standard_normal((4, 32, 48))
np.save(f'{d}/u.npy', u)
sipflow('physics', 'diffuse', '--in', f'{d}/u.npy', '--out', f'{d}/v.npy')
print('diffuse: max abs diff', np.abs(np.load(f'{d}/v.npy') - diffuse(u)).max())
sipflow('generate', '--batch', '4', '--resolution', '32', '--seed', '1', '--out', f'{d}/x.npy')
sipflow('generate', '--batch', '4', '--resolution', '32', '--seed', '2', '--out', f'{d}/x2.npy')
r = diffuse(np.load(f'{d}/x.npy')) - diffuse(np.load(f'{d}/x2.npy'))  # a SIP-like residual y* - D(x)
np.save(f'{d}/r.npy', r)
sipflow('physics', 'inverse', '--in', f'{d}/r.npy', '--out', f'{d}/dx.npy')
dx = inverse(r)
print('inverse: max abs diff', np.abs(np.load(f'{d}/dx.npy') - dx).max(), 'max |dx|', np.abs(dx).max())
