"""Train a GenLab model in PyTorch, on one process or many — written by GenLab for one configuration.

    python3 train.py --steps 2000                                  # one process
    torchrun --standalone --nproc_per_node=4 train.py --steps 2000 # DistributedDataParallel
    (without a torchrun command: python3 -m torch.distributed.run …)

It trains the networks of genlab_model.py (beside this file) with GenLab's losses, optimizers and
settings (CONFIG below), from the weights in model.safetensors (or --init FILE, or --fresh for
PyTorch's initial weights), on the same training data: GenLab's packaged image sets
(<dataset>-train.glds from --data) or, for 2-D sets, the points GenLab drew into data2d.safetensors.
Checkpoints are .safetensors files that GenLab's page (Load model) and genlab-train --init read.

Processes use gloo on CPUs and NCCL on GPUs. Each process draws its own batch of `batch` examples
from its share of every epoch, so one optimizer step sees batch × processes examples. Batch
normalisation keeps statistics per process (as torch.nn.BatchNorm2d does under DDP).
"""
import argparse
import json
import os
import struct
import sys
import time

import torch
import torch.distributed as dist
from torch.nn import functional as F
from torch.nn.parallel import DistributedDataParallel as DDP

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import genlab_model as gm  # noqa: E402

# ---- this model's settings, every key, and where GenLab read its image sets (GenLab fills these in) ----
CONFIG_JSON = r'''{}'''
DATA_DIR = r'''data'''
CFG = json.loads(CONFIG_JSON)


def read_glds(path):
    """GenLab's image asset: a 64-byte header ("GLDS", version, count, rows, cols, classes, …),
    then count·rows·cols pixel bytes, then count label bytes (src/genlab/data/image_asset.hpp)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"GLDS":
        raise ValueError(f"{path} is not a GenLab image set")
    _, count, rows, cols, _ = struct.unpack("<5I", data[4:24])
    n = count * rows * cols
    pixels = torch.frombuffer(bytearray(data[64 : 64 + n]), dtype=torch.uint8).reshape(count, rows * cols)
    labels = torch.frombuffer(bytearray(data[64 + n : 64 + n + count]), dtype=torch.uint8)
    return pixels.float() / 255.0, labels.long()


def load_data(data_dir):
    if SPEC_IMAGE:
        return read_glds(os.path.join(data_dir, f"{CFG['dataset']}-train.glds"))
    tensors, _ = gm.read_safetensors(os.path.join(HERE, "data2d.safetensors"))
    return tensors["x"], tensors["y"].reshape(-1).long()


SPEC_IMAGE = CFG["dataset"] not in ("ring8", "grid25", "spiral", "moons", "circles", "swiss_roll", "checkerboard", "points")


class RMSprop(torch.optim.Optimizer):
    """GenLab's RMSprop: v <- rho v + (1 - rho) g^2, step lr g / sqrt(v + eps) (eps inside the root,
    as Keras), momentum on the step, weight decay added to the gradient. torch.optim.RMSprop divides
    by sqrt(v) + eps instead: with eps = 1e-7 its steps are ~10x as long where |g| ~ 1e-4, and
    longer still for smaller gradients."""

    def __init__(self, params, lr, rho, eps, momentum, weight_decay):
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, momentum=momentum, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self, closure=None):
        loss = closure() if closure is not None else None
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad + group["weight_decay"] * p if group["weight_decay"] else p.grad
                state = self.state[p]
                if not state:
                    state["v"] = torch.zeros_like(p)
                    state["momentum"] = torch.zeros_like(p)
                v = state["v"]
                v.mul_(group["rho"]).add_((1 - group["rho"]) * g * g)
                inc = group["lr"] * g / torch.sqrt(v + group["eps"])
                if group["momentum"]:
                    inc = state["momentum"].mul_(group["momentum"]).add_(inc)
                p.sub_(inc)
        return loss


def make_optimizer(params, kind, lr):
    wd = CFG["weight_decay"]
    if kind == "adam":
        return torch.optim.Adam(params, lr=lr, betas=(CFG["beta1"], CFG["beta2"]), eps=1e-8, weight_decay=wd)
    if kind == "rmsprop":
        return RMSprop(params, lr=lr, rho=CFG["rho"], eps=1e-7, momentum=CFG["momentum"], weight_decay=wd)
    return torch.optim.SGD(params, lr=lr, momentum=CFG["momentum"], weight_decay=wd)


def step(opt, params):
    if CFG["clip_norm"] > 0:
        torch.nn.utils.clip_grad_norm_(params, CFG["clip_norm"])
    opt.step()


# ---- the GAN objectives (GenLab's src/genlab/models/gan_losses.cpp), a = D's raw output ----

def d_side(a, real):
    loss = CFG["loss"]
    if loss in ("minimax", "nonsaturating"):
        target = torch.full_like(a, 1.0 - CFG["label_smooth"] if real else 0.0)
        return F.binary_cross_entropy_with_logits(a, target)
    if loss == "lsgan":
        return 0.5 * ((a - (1.0 if real else 0.0)) ** 2).mean()
    if loss == "hinge":
        return F.relu(1 - a).mean() if real else F.relu(1 + a).mean()
    return -a.mean() if real else a.mean()  # wgan


def g_side(a):
    loss = CFG["loss"]
    if loss == "minimax":
        return -F.binary_cross_entropy_with_logits(a, torch.zeros_like(a))
    if loss == "nonsaturating":
        return F.binary_cross_entropy_with_logits(a, torch.ones_like(a))
    if loss == "lsgan":
        return 0.5 * ((a - 1) ** 2).mean()
    return -a.mean()  # hinge, wgan


class Batches:
    """This process's batches: every epoch a permutation shared by all processes (same seed),
    of which process r takes every world-th example from r."""

    def __init__(self, n, batch, rank, world, seed):
        self.n, self.batch, self.rank, self.world, self.seed = n, batch, rank, world, seed
        self.epoch, self.pos, self.order = -1, 0, None

    def next(self):
        if self.order is None or self.pos + self.batch > len(self.order):
            self.epoch += 1
            g = torch.Generator().manual_seed(self.seed * 1000003 + self.epoch)
            self.order = torch.randperm(self.n, generator=g)[self.rank :: self.world]
            self.pos = 0
        idx = self.order[self.pos : self.pos + self.batch]
        self.pos += self.batch
        return idx


def main():
    p = argparse.ArgumentParser(description="Train this GenLab model in PyTorch (see the module's docstring).")
    p.add_argument("--steps", type=int, default=1000, help="iterations (a GAN's k_d D steps and k_g G steps each)")
    p.add_argument("--out", default=os.path.join(HERE, "run"), help="folder for checkpoints")
    p.add_argument("--data", default=os.path.join(HERE, DATA_DIR), help="folder with <dataset>-train.glds (image sets)")
    p.add_argument("--init", default=os.path.join(HERE, "model.safetensors"), help="weights to start from")
    p.add_argument("--fresh", action="store_true", help="start from PyTorch's initial weights instead")
    p.add_argument("--checkpoint-every", type=int, default=0, help="also write model-stepN.safetensors every N steps")
    p.add_argument("--log-every", type=int, default=50)
    p.add_argument("--seed", type=int, default=CFG["seed"])
    p.add_argument("--probe", default="", help="a probe .safetensors (x, z, y): write torch_outputs.safetensors for it")
    args = p.parse_args()

    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    if world > 1:
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    device = torch.device(f"cuda:{int(os.environ.get('LOCAL_RANK', '0'))}" if torch.cuda.is_available() else "cpu")
    torch.manual_seed(args.seed * 7919 + rank)

    start_step = 0
    if args.fresh:
        model = gm.build()
    else:
        model = gm.load(args.init)
        _, meta = gm.read_safetensors(args.init)
        start_step = int(meta.get("genlab.step", "0"))
    model.to(device).train()
    x_all, y_all = load_data(args.data)
    batches = Batches(len(x_all), CFG["batch"], rank, world, args.seed)
    classes = gm.SPEC["classes"]

    def batch():
        idx = batches.next()
        x = x_all[idx].to(device)
        if SPEC_IMAGE and CFG["binarize"]:
            x = torch.bernoulli(x)
        return x, (y_all[idx].to(device) if classes > 0 else None)

    # broadcast_buffers=False: batch-norm statistics stay each process's own (a broadcast before
    # D's second forward of a step would change, in place, what the first one's backward needs).
    wrap = (lambda m: DDP(m, broadcast_buffers=False)) if world > 1 else (lambda m: m)
    log = []

    def kl_ramp(t):
        """β's warm-up as GenLab's: step t (from 1) uses the steps taken before it, so the first is 0."""
        return min(1.0, (start_step + t - 1) / CFG["kl_warmup"]) if CFG["kl_warmup"] > 0 else 1.0

    if isinstance(model, gm.VAE):
        net = wrap(model)
        opt = make_optimizer(model.parameters(), CFG["opt"], CFG["lr"])
        fixed = CFG["gauss_logvar"]

        def iteration(t):
            x, y = batch()
            beta = CFG["beta"] * kl_ramp(t)
            loss, recon, kl = net(x, y, beta, fixed)
            opt.zero_grad()
            loss.backward()
            step(opt, model.parameters())
            return {"loss": loss.item(), "recon": recon.item(), "kl": kl.item(), "beta": beta}
    elif isinstance(model, gm.VAEGAN):
        opts = {"enc": make_optimizer(model.enc.parameters(), CFG["opt"], CFG["lr"]),
                "dec": make_optimizer(model.dec.parameters(), CFG["opt"], CFG["lr"]),
                "D": make_optimizer(model.D.parameters(), CFG["d_opt"], CFG["d_lr"])}
        L, fe, D = gm.SPEC["noise"], model.feature_end, model.D

        def iteration(t):
            """GenLab's VAE-GAN step (src/genlab/models/vaegan.cpp): three objectives, each network's
            gradient taken at the same weights, then the three optimizers step."""
            x, _ = batch()
            B = x.shape[0]
            beta = CFG["beta"] * kl_ramp(t)
            h = model.enc(x)
            mu, logvar = h[:, :L], h[:, L:]
            x_t = model.dec(mu + torch.randn_like(mu) * torch.exp(0.5 * logvar))
            # D runs once on each of x, x~ and x_p, as in GenLab: with batch normalisation every
            # forward in training mode moves the running statistics.
            f_x = D(x, 0, fe)
            a_x = D(f_x, fe)
            f_real = f_x.detach()
            f_t = D(x_t, 0, fe)
            a_t = D(f_t, fe)
            llike = 0.5 * ((f_t - f_real) ** 2).sum() / B
            kl = 0.5 * (mu**2 + torch.exp(logvar) - 1 - logvar).sum() / B
            x_p = model.dec(torch.randn_like(mu))
            a_p = D(x_p)
            g_loss = g_side(a_t) + g_side(a_p)
            d_loss = d_side(a_x, True) + d_side(a_t, False) + d_side(a_p, False)
            # Each network's gradient of its own objective only (D's loss reaches the decoder
            # through x~ and x_p, but only D's parameters are asked for).
            grads = {"enc": torch.autograd.grad(llike + beta * kl, list(model.enc.parameters()), retain_graph=True),
                     "dec": torch.autograd.grad(CFG["gamma"] * llike + g_loss, list(model.dec.parameters()), retain_graph=True),
                     "D": torch.autograd.grad(d_loss, list(model.D.parameters()))}
            for name, gs in grads.items():
                params = list(getattr(model, name).parameters())
                for p, g in zip(params, gs):
                    if world > 1:  # the mean over processes, as DistributedDataParallel would
                        dist.all_reduce(g)
                        g /= world
                    p.grad = g
                step(opts[name], params)
            return {"loss": (llike + beta * kl).item(), "recon": llike.item(), "kl": kl.item(), "beta": beta,
                    "d_loss": d_loss.item(), "g_loss": g_loss.item()}
    else:
        G, D = wrap(model.G), wrap(model.D)
        g_opt = make_optimizer(model.G.parameters(), CFG["g_opt"], CFG["g_lr"])
        d_opt = make_optimizer(model.D.parameters(), CFG["d_opt"], CFG["d_lr"])
        pack = gm.SPEC["pack"]
        g_steps = [start_step * CFG["k_g"]]  # G steps so far: the batch ramp and the average's warm-up count them
        ramp = 0 < CFG.get("batch_start", 0) < CFG["batch"]  # a first batch at or above the batch: no ramp

        def batch_now():  # GenLab's batch ramp: batch_start · 2^⌊G steps / batch_every⌋, up to batch
            if not ramp:
                return CFG["batch"]
            return min(CFG["batch"], CFG["batch_start"] << min(g_steps[0] // CFG["batch_every"], 12))

        def set_rates():  # the ramp anneals: lr · √(batch_start / B); without one the rates stay
            if not ramp:
                return
            scale = (CFG["batch_start"] / batch_now()) ** 0.5
            for opt, key in ((g_opt, "g_lr"), (d_opt, "d_lr")):
                for group in opt.param_groups:
                    group["lr"] = CFG[key] * scale

        def judge(x, y):  # (B, D) → D's raw output per pack of rows (B/pack, 1)
            return D(model._with_class(x, y).reshape(x.shape[0] // pack, -1))

        def iteration(t):
            for _ in range(CFG["k_d"]):
                real, y = batch()
                n = batch_now()  # the first n rows of the batch
                real, y = real[:n], (y[:n] if y is not None else None)
                with torch.no_grad():
                    fake = G(model._with_class(model.noise(real.shape[0]).to(device), y))
                d_loss = d_side(judge(real, y), True) + d_side(judge(fake, y), False)
                d_opt.zero_grad()
                d_loss.backward()
                set_rates()
                step(d_opt, model.D.parameters())
                if CFG["loss"] == "wgan":
                    with torch.no_grad():
                        for w in model.D.parameters():
                            w.clamp_(-CFG["wgan_clip"], CFG["wgan_clip"])
            for _ in range(CFG["k_g"]):
                n = batch_now()
                y = torch.randint(0, classes, (n,), device=device) if classes > 0 else None
                g_loss = g_side(judge(G(model._with_class(model.noise(n).to(device), y)), y))
                g_opt.zero_grad()
                g_loss.backward()
                set_rates()
                step(g_opt, model.G.parameters())
                g_steps[0] += 1
                if model.G_ema is not None:
                    decay, warm = CFG["g_ema"], CFG.get("g_ema_warmup", 0)
                    if warm > 0:  # a short average at first, as GenLab's
                        decay = min(decay, (1 + g_steps[0]) / (warm + g_steps[0]))
                    model.update_ema(decay)
            return {"d_loss": d_loss.item(), "g_loss": g_loss.item(), "batch": n}

    os.makedirs(args.out, exist_ok=True)
    t0 = time.time()
    for t in range(1, args.steps + 1):
        stats = iteration(t)
        log.append(stats)
        if rank == 0 and (t % args.log_every == 0 or t == args.steps):
            mean = {k: sum(s[k] for s in log[-args.log_every :]) / len(log[-args.log_every :]) for k in stats}
            print(json.dumps({"event": "train", "step": start_step + t, "processes": world, **mean,
                              "seconds": round(time.time() - t0, 2)}), flush=True)
        if rank == 0 and args.checkpoint_every and t % args.checkpoint_every == 0:
            gm.save(model.eval(), os.path.join(args.out, f"model-step{start_step + t}.safetensors"), start_step + t)
            model.train()
    if rank == 0:
        model.eval()
        path = os.path.join(args.out, "model.safetensors")
        gm.save(model, path, start_step + args.steps)
        print(json.dumps({"event": "saved", "path": path, "step": start_step + args.steps}), flush=True)
        if args.probe:
            tensors, _ = gm.read_safetensors(args.probe)
            x, z = tensors["x"].to(device), tensors["z"].to(device)
            y = tensors["y"].reshape(-1).long().to(device) if classes > 0 else None
            with torch.no_grad():
                if isinstance(model, (gm.VAE, gm.VAEGAN)):
                    mu, logvar = model.encode(x, y)
                    out = {"mu": mu, "logvar": logvar, "x_mean": model.decode(z, y)}
                    if isinstance(model, gm.VAEGAN):
                        out["d"] = model.discriminate(x)
                else:
                    out = {"g": model.generate(z, y), "d": model.discriminate(x, y)}
                    if model.G_ema is not None:
                        out["g_raw"] = model.generate(z, y, ema=False)
            gm.write_safetensors(os.path.join(args.out, "torch_outputs.safetensors"), out, {})
    if world > 1:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
