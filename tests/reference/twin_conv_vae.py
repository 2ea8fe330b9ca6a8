#!/usr/bin/python3
"""The PyTorch twin of GenLab's conv VAE (issue 16's mnist-conv-vae bar: GenLab within +0.5 nats of
it). Run by hand with Debian's python3-torch; minutes on one thread, not part of the tests.

    /usr/bin/python3 tests/reference/twin_conv_vae.py [--seed 1] [--epochs 30] [--batch 32]
                                                      [--data build/data]

The same network as `genlab-train --preset mnist-conv-vae` (models/conv_nets.hpp):
  encoder x (1x28x28) -> Conv2d(1, 32, k4, s2, p1) -> ReLU -> Conv2d(32, 64, k4, s2, p1) -> ReLU
          -> flatten (channel-first) -> Linear(3136, 40): mu = the first 20, log var = the last 20
  decoder z (20) -> Linear(20, 3136) -> ReLU -> view (64, 7, 7) -> ConvTranspose2d(64, 32, k4, s2, p1)
          -> ReLU -> ConvTranspose2d(32, 1, k4, s2, p1) -> Bernoulli logits
PyTorch's default initialisation (the preset's init=torch), Bernoulli likelihood on the continuous
pixels (v/255), loss = reconstruction + KL summed over dimensions and averaged over the batch,
Adam 1e-3, batch 32 (the preset's; 64 until 2026-12-06), the same number of steps as genlab-train's --epochs
(ceil(epochs·N/batch)), each epoch a fresh shuffle. The data are GenLab's own .glds files (mnist28: 9,000 training and
1,000 test images), read directly. Printed: one JSON line with the test -ELBO (nats per image, the
mean over 10 posterior samples per test image), its reconstruction and KL terms, and steps/s.
"""
import argparse
import json
import math
import pathlib
import struct
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = pathlib.Path(__file__).resolve().parents[2]


def read_glds(path):
    """GenLab's image asset (src/genlab/data/image_asset.hpp): 64-byte header, pixels, labels."""
    raw = path.read_bytes()
    if raw[:4] != b"GLDS":
        raise SystemExit(f"{path}: not a GenLab image asset")
    count, rows, cols = struct.unpack_from("<III", raw, 8)
    n = rows * cols
    if len(raw) != 64 + count * (n + 1):
        raise SystemExit(f"{path}: {len(raw)} bytes, the header says {64 + count * (n + 1)}")
    pixels = torch.frombuffer(bytearray(raw[64:64 + count * n]), dtype=torch.uint8)
    return pixels.reshape(count, 1, rows, cols).float() / 255.0


class ConvVae(nn.Module):
    def __init__(self, latent=20, enc=(32, 64), dec=(64, 32)):
        super().__init__()
        self.latent = latent
        self.dec0 = dec[0]
        self.e1 = nn.Conv2d(1, enc[0], 4, 2, 1)
        self.e2 = nn.Conv2d(enc[0], enc[1], 4, 2, 1)
        self.e3 = nn.Linear(enc[1] * 49, 2 * latent)
        self.d1 = nn.Linear(latent, dec[0] * 49)
        self.d2 = nn.ConvTranspose2d(dec[0], dec[1], 4, 2, 1)
        self.d3 = nn.ConvTranspose2d(dec[1], 1, 4, 2, 1)

    def encode(self, x):
        h = F.relu(self.e2(F.relu(self.e1(x))))
        h = self.e3(h.flatten(1))
        return h[:, :self.latent], h[:, self.latent:]

    def decode_logits(self, z):
        h = F.relu(self.d1(z)).view(-1, self.dec0, 7, 7)
        return self.d3(F.relu(self.d2(h)))

    def terms(self, x):
        """Per-example reconstruction (-log p(x|z), one z) and KL(q(z|x) || N(0, I))."""
        mu, logvar = self.encode(x)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        logits = self.decode_logits(z)
        recon = F.binary_cross_entropy_with_logits(logits, x, reduction="none").flatten(1).sum(1)
        kl = 0.5 * (mu * mu + logvar.exp() - 1.0 - logvar).sum(1)
        return recon, kl


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--data", default=str(ROOT / "build" / "data"))
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    train = read_glds(pathlib.Path(a.data) / "mnist28-train.glds")
    test = read_glds(pathlib.Path(a.data) / "mnist28-test.glds")
    B = a.batch
    steps = math.ceil(a.epochs * train.shape[0] / B)
    model = ConvVae()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    order = torch.randperm(train.shape[0])
    at = 0
    t0 = time.time()
    for _ in range(steps):
        if at + B > train.shape[0]:  # a fresh shuffle each epoch; a batch never spans two
            order = torch.randperm(train.shape[0])
            at = 0
        x = train[order[at:at + B]]
        at += B
        recon, kl = model.terms(x)
        loss = (recon + kl).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    seconds = time.time() - t0
    with torch.no_grad():
        rs, ks = [], []
        for _ in range(10):
            r, k = model.terms(test)
            rs.append(r.mean().item())
            ks.append(k.mean().item())
    recon, kl = sum(rs) / len(rs), sum(ks) / len(ks)
    print(json.dumps({"twin": "conv-vae", "seed": a.seed, "epochs": a.epochs, "batch": B, "steps": steps,
                      "test_neg_elbo": round(recon + kl, 3), "test_recon": round(recon, 3),
                      "test_kl": round(kl, 3), "test_examples": test.shape[0],
                      "steps_per_s": round(steps / seconds, 2), "torch": torch.__version__,
                      "threads": a.threads}))


if __name__ == "__main__":
    main()
