#!/usr/bin/env python3
"""Makes unet_torch_golden.npz: the seed's U-Net in PyTorch, with fixed weights, on a fixed small input.

The architecture is copied verbatim from bench/torch_sip_step.py. Weights: PyTorch's default init under
torch.manual_seed(0), batch-norm gamma/beta perturbed (so a mix-up of the two shows), all rounded to float32 and
stored as float32 (half the file); the network then runs in float64 in training mode (batch statistics).

Entries (sipflow names, in PyTorch's parameter order):
  param.<name>       float32 weights, e.g. param.inc.conv1.weight (torch: inc.0.weight)
  input              float64 (2, 1, 16, 16)
  output             float64 (2, 1, 16, 16), net(input) in training mode
  running.<name>     float64 running_mean / running_var of every batch norm after that one forward pass
  grad.<name>        float64 gradient of 0.5*sum(output**2) for a few parameters, and grad.input

Run with Debian's torch:  /usr/bin/python3 make_unet_golden.py   (writes next to this script)
"""
import os
import re

import numpy as np
import torch
import torch.nn as nn


def double_conv(cin, cout, cmid):
    return nn.Sequential(
        nn.Conv2d(cin, cmid, 3, padding=1, padding_mode='circular'), nn.BatchNorm2d(cmid), nn.ReLU(),
        nn.Conv2d(cmid, cout, 3, padding=1, padding_mode='circular'), nn.BatchNorm2d(cout), nn.ReLU())


class UNet(nn.Module):
    def __init__(self, levels=4, f=16):
        super().__init__()
        self.levels = levels
        self.inc = double_conv(1, f, f)
        self.down = nn.ModuleList([nn.Sequential(nn.MaxPool2d(2), double_conv(f, f, f)) for _ in range(levels - 1)])
        self.up = nn.ModuleList([double_conv(2 * f, f, f) for _ in range(levels - 1)])
        self.upsample = nn.Upsample(scale_factor=2, mode='bilinear')
        self.outc = nn.Conv2d(f, 1, 1)

    def forward(self, x):
        x = self.inc(x)
        skips = [x]
        for d in self.down:
            x = d(x)
            skips.insert(0, x)
        for i, u in enumerate(self.up):
            x = u(torch.cat([skips[i + 1], self.upsample(x)], dim=1))
        return self.outc(x)


LAYER = {'0': 'conv1', '1': 'norm1', '3': 'conv2', '4': 'norm2'}


def sipflow_name(torch_name):
    """inc.0.weight -> inc.conv1.weight, down.2.1.4.bias -> down3.norm2.bias, up.0.3.weight -> up1.conv2.weight."""
    m = re.fullmatch(r'inc\.(\d)\.(\w+)', torch_name)
    if m:
        return f'inc.{LAYER[m[1]]}.{m[2]}'
    m = re.fullmatch(r'down\.(\d)\.1\.(\d)\.(\w+)', torch_name)
    if m:
        return f'down{int(m[1]) + 1}.{LAYER[m[2]]}.{m[3]}'
    m = re.fullmatch(r'up\.(\d)\.(\d)\.(\w+)', torch_name)
    if m:
        return f'up{int(m[1]) + 1}.{LAYER[m[2]]}.{m[3]}'
    m = re.fullmatch(r'outc\.(\w+)', torch_name)
    if m:
        return torch_name
    raise ValueError(torch_name)


torch.manual_seed(0)
net = UNet()
assert sum(p.numel() for p in net.parameters()) == 37697
with torch.no_grad():
    for mod in net.modules():
        if isinstance(mod, nn.BatchNorm2d):
            mod.weight.add_(0.2 * torch.randn_like(mod.weight))
            mod.bias.add_(0.2 * torch.randn_like(mod.bias))
    for p in net.parameters():
        p.copy_(p.float())  # float32-representable values
net = net.double().train()

out = {}
names = {}
for tname, p in net.named_parameters():
    name = sipflow_name(tname)
    names[tname] = name
    out['param.' + name] = p.detach().float().numpy()
assert len(set(names.values())) == len(names)

x = torch.randn(2, 1, 16, 16, dtype=torch.float64, requires_grad=True)
y = net(x)
loss = 0.5 * (y ** 2).sum()
loss.backward()
out['input'] = x.detach().numpy()
out['output'] = y.detach().numpy()
for tname, b in net.named_buffers():
    if tname.endswith('running_mean') or tname.endswith('running_var'):
        stem = sipflow_name(tname.rsplit('.', 1)[0] + '.weight').rsplit('.', 1)[0]
        out['running.' + stem + '.' + tname.rsplit('.', 1)[1]] = b.detach().numpy()
params = dict(net.named_parameters())
for tname in ['inc.0.weight', 'inc.1.weight', 'inc.1.bias', 'down.2.1.3.bias', 'up.2.4.weight', 'outc.weight']:
    out['grad.' + names[tname]] = params[tname].grad.numpy()
out['grad.input'] = x.grad.numpy()

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'unet_torch_golden.npz')
np.savez_compressed(path, **out)
print(f'wrote {path}: torch {torch.__version__}, {len(out)} entries, {os.path.getsize(path)} bytes, '
      f'output range [{y.min().item():.4f}, {y.max().item():.4f}]')
