#!/usr/bin/python3
"""Runner for `torch-native`: the bench/compare workloads in PyTorch (Debian's python3-torch),
one thread, speaking the runner protocol of bench/common/protocol.mjs over stdin/stdout:

    /usr/bin/python3 bench/torch_runner.py --data build/data

Same networks, init, losses, batch sizes and Adam settings as genlab and the TF.js versions
(bench/workloads.json; see common/tfjs_models.mjs for the definitions in words). Data: the MNIST
pixels of genlab's .glds assets in shuffled epochs, ring8 sampled with numpy. Without torch every
command answers {"ok": false, "skip": "..."}.
"""
import json
import math
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CHUNK_S = 0.020  # one chunk of steps, as in the other runners

try:
    import numpy as np
    import torch
    from torch import nn
    import torch.nn.functional as F
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    MISSING = None
except ImportError as e:  # no python3-torch: the system is skipped
    MISSING = f"PyTorch is not available ({e}); install Debian's python3-torch"


def blas_library():
    """The BLAS library file this process has mapped (Debian's torch links libblas.so.3, which is
    the reference BLAS unless an optimised one such as OpenBLAS is installed or preloaded)."""
    torch.mm(torch.ones(8, 8), torch.ones(8, 8))
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                if "blas" in line.rsplit("/", 1)[-1]:
                    return os.path.realpath(line.split()[-1])
    except OSError:
        pass
    return "unknown"


def load_glds(path):
    """Pixels of a .glds asset as a float32 tensor (count, rows*cols) in [0, 1]."""
    raw = open(path, "rb").read()
    if raw[:4] != b"GLDS":
        raise ValueError(f"{path}: not a .glds asset")
    count, rows, cols = (int.from_bytes(raw[o:o + 4], "little") for o in (8, 12, 16))
    px = np.frombuffer(raw, dtype=np.uint8, count=count * rows * cols, offset=64)
    return torch.from_numpy(px.reshape(count, rows * cols).astype(np.float32) / 255.0)


class ImageBatches:
    """Every image once per epoch, a new permutation each epoch (like genlab's Batcher)."""

    def __init__(self, data, batch):
        self.data, self.batch = data, batch
        self.order, self.pos = torch.randperm(len(data)), 0

    def next(self):
        if self.pos + self.batch > len(self.order):
            self.order, self.pos = torch.randperm(len(self.data)), 0
        idx = self.order[self.pos:self.pos + self.batch]
        self.pos += self.batch
        return self.data[idx]


class Ring8Batches:
    """8 Gaussians on the unit circle, sigma 0.01 (genlab's toy2d.hpp)."""

    def __init__(self, batch):
        self.batch = batch

    def next(self):
        a = 2 * math.pi * torch.randint(0, 8, (self.batch,)).float() / 8
        return torch.stack([a.cos(), a.sin()], 1) + 0.01 * torch.randn(self.batch, 2)


def mlp(sizes, act, alpha=0.2):
    """Linear layers with `act` between them; He-normal hidden weights, Xavier-uniform output."""
    layers = []
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        lin = nn.Linear(a, b)
        last = i == len(sizes) - 2
        if last:
            nn.init.xavier_uniform_(lin.weight)
        else:
            nn.init.normal_(lin.weight, 0.0, math.sqrt(2.0 / a))
        nn.init.zeros_(lin.bias)
        layers.append(lin)
        if not last:
            layers.append(nn.LeakyReLU(alpha) if act == "leaky_relu" else nn.ReLU())
    return nn.Sequential(*layers)


def adam(params, lr, beta1=0.9):
    return torch.optim.Adam(params, lr=lr, betas=(beta1, 0.999), eps=1e-8)


def dcgan_init(module):
    """Weights N(0, 0.02²), biases 0 (genlab's init=dcgan), for every conv and linear layer."""
    for m in module.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(m.weight, 0.0, 0.02)
            nn.init.zeros_(m.bias)
    return module


def conv_g(n):
    """z → dense c0·q·q ReLU → convT c1 k4 s2 p1 ReLU → convT 1 k4 s2 p1 → sigmoid, flattened."""
    c0, c1 = n["g"]
    q = n["side"] // 4
    return dcgan_init(nn.Sequential(
        nn.Linear(n["noise"], c0 * q * q), nn.ReLU(), nn.Unflatten(1, (c0, q, q)),
        nn.ConvTranspose2d(c0, c1, 4, 2, 1), nn.ReLU(),
        nn.ConvTranspose2d(c1, 1, 4, 2, 1), nn.Sigmoid(), nn.Flatten()))


def conv_d(n):
    """image → conv c0 k4 s2 p1 LeakyReLU → conv c1 k4 s2 p1 LeakyReLU → dense 1."""
    c0, c1 = n["d"]
    side, q = n["side"], n["side"] // 4
    return dcgan_init(nn.Sequential(
        nn.Unflatten(1, (1, side, side)),
        nn.Conv2d(1, c0, 4, 2, 1), nn.LeakyReLU(n["alpha"]),
        nn.Conv2d(c0, c1, 4, 2, 1), nn.LeakyReLU(n["alpha"]),
        nn.Flatten(), nn.Linear(c1 * q * q, 1)))


class Vae:
    def __init__(self, w):
        n = w["net"]
        self.L, self.B = n["latent"], w["batch"]
        self.enc = mlp([n["in"], *n["enc"], 2 * n["latent"]], n["act"])
        self.dec = mlp([n["latent"], *n["dec"], n["in"]], n["act"])
        self.opt = adam([*self.enc.parameters(), *self.dec.parameters()], w["lr"])

    def step(self, x):
        mu, logvar = self.enc(x).chunk(2, dim=1)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        recon = F.binary_cross_entropy_with_logits(self.dec(z), x, reduction="sum") / self.B
        kl = 0.5 * (mu.pow(2) + logvar.exp() - logvar - 1).sum() / self.B
        loss = recon + kl
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        return loss.item(), 0.0


class Gan:
    def __init__(self, w):
        n = w["net"]
        self.noise, self.B = n["noise"], w["batch"]
        if n.get("conv"):
            self.G, self.D = conv_g(n), conv_d(n)
        else:
            self.G = mlp([n["noise"], *n["g"], n["out"]], n["g_act"], n["alpha"])
            self.D = mlp([n["out"], *n["d"], 1], n["d_act"], n["alpha"])
        beta1 = w.get("beta1", 0.9)
        self.g_opt, self.d_opt = adam(self.G.parameters(), w["lr"], beta1), adam(self.D.parameters(), w["lr"], beta1)

    def step(self, real):
        bce = F.binary_cross_entropy_with_logits
        with torch.no_grad():
            fake = self.G(torch.randn(self.B, self.noise))
        ar, af = self.D(real), self.D(fake)
        d_loss = bce(ar, torch.ones_like(ar)) + bce(af, torch.zeros_like(af))
        self.d_opt.zero_grad(set_to_none=True)
        d_loss.backward()
        self.d_opt.step()
        a = self.D(self.G(torch.randn(self.B, self.noise)))
        g_loss = bce(a, torch.ones_like(a))
        self.g_opt.zero_grad(set_to_none=True)
        g_loss.backward()  # D's parameter gradients from this pass are dropped by its zero_grad
        self.g_opt.step()
        return d_loss.item(), g_loss.item()


class Runner:
    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.workloads = json.load(open(os.path.join(HERE, "workloads.json")))["workloads"]
        self.model = self.batches = self.gemm_args = None

    def handle(self, line):
        words = line.split()
        cmd = words[0] if words else ""
        if cmd == "info":
            return {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_library()}
        if cmd == "setup":
            w = self.workloads[words[1]]
            self.gemm_args = None
            torch.manual_seed(1)
            if w["data"] == "ring8":
                self.batches = Ring8Batches(w["batch"])
            else:
                self.batches = ImageBatches(load_glds(os.path.join(self.data_dir, w["data"] + "-train.glds")), w["batch"])
            self.model = Gan(w) if w["kind"] == "gan" else Vae(w)
            return {}
        if cmd == "gemm":
            M, K, N, form = int(words[1]), int(words[2]), int(words[3]), words[4]
            a = torch.rand(K, M) * 2 - 1 if form[0] == "T" else torch.rand(M, K) * 2 - 1
            b = torch.rand(N, K) * 2 - 1 if form[1] == "T" else torch.rand(K, N) * 2 - 1
            self.gemm_args = (a.t() if form[0] == "T" else a, b.t() if form[1] == "T" else b, 2.0 * M * N * K)
            self.model = None
            return {}
        if cmd == "run":
            return self.run(float(words[1]))
        raise ValueError(f"unknown command '{line}'")

    def run(self, seconds):
        t0 = time.perf_counter()
        if self.gemm_args:
            a, b, flop = self.gemm_args
            calls = 0
            while True:
                torch.mm(a, b)
                calls += 1
                if time.perf_counter() - t0 >= seconds:
                    break
            return {"units": calls, "seconds": time.perf_counter() - t0, "flop_per_unit": flop, "chunks": []}
        if self.model is None:
            raise ValueError("run: send setup or gemm first")
        chunks, units = [], 0
        while True:
            c0, n, la, lb = time.perf_counter(), 0, 0.0, 0.0
            while True:
                a, b = self.model.step(self.batches.next())
                n, la, lb = n + 1, la + a, lb + b
                if time.perf_counter() - c0 >= CHUNK_S:
                    break
            if not (math.isfinite(la) and math.isfinite(lb)):
                raise ValueError(f"the loss became NaN or infinite after {units + n} steps")
            units += n
            chunks.append([n, la / n, lb / n])
            if time.perf_counter() - t0 >= seconds:
                break
        return {"units": units, "seconds": time.perf_counter() - t0, "chunks": chunks}


def main():
    data_dir = sys.argv[sys.argv.index("--data") + 1] if "--data" in sys.argv else "build/data"
    runner = None if MISSING else Runner(data_dir)
    for line in sys.stdin:
        line = line.strip()
        if line == "quit":
            break
        if not line:
            continue
        if runner is None:
            reply = {"ok": False, "skip": MISSING}
        else:
            try:
                reply = {"ok": True, **runner.handle(line)}
            except Exception as e:  # every failure goes back as a reply; the process keeps serving
                reply = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
