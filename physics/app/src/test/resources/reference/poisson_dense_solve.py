#!/usr/bin/env python3
"""Exact solve of the Poisson system sipflow's `physics poisson` solves by CG, with NumPy's dense LU.

Usage:  poisson_dense_solve.py X.npy Y.npy      X: (R, C) or (B, R, C) source fields; writes Y with laplace(Y) = X.

laplace is the 5-point stencil u[i-1,j] + u[i+1,j] + u[i,j-1] + u[i,j+1] - 4 u[i,j] on a cell-centred grid of
spacing 1 with u = 0 outside the grid (PhiFlow's CenteredGrid default boundary), written out as a dense matrix.
"""
import sys
import numpy as np


def laplace_matrix(ny, nx):
    n = ny * nx
    a = np.zeros((n, n))
    for i in range(ny):
        for j in range(nx):
            k = i * nx + j
            a[k, k] = -4.0
            for di, dj in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                if 0 <= i + di < ny and 0 <= j + dj < nx:
                    a[k, (i + di) * nx + (j + dj)] = 1.0
    return a


x = np.load(sys.argv[1]).astype(np.float64)
fields = x.reshape((-1,) + x.shape[-2:])
ny, nx = fields.shape[-2:]
a = laplace_matrix(ny, nx)
assert np.allclose(a, a.T) and np.linalg.eigvalsh(a).max() < 0  # symmetric, negative definite
y = np.linalg.solve(a, fields.reshape(len(fields), -1).T).T.reshape(x.shape)
np.save(sys.argv[2], y)
print("max|laplace(y) - x|", np.abs(a @ y.reshape(len(fields), -1).T - fields.reshape(len(fields), -1).T).max())
