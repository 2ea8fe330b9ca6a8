"""train.py's training step against GenLab's, draw for draw (a ctest case per configuration):

    python3 replay_check.py PROBE DIR ITERATIONS key=value...

1. export_probe exports the untrained model with its training script (train.py).
2. train.py trains ITERATIONS iterations in this process, one log line each, while its batches
   and its Gaussian draws (torch.randn, torch.randn_like: a VAE's ε, a VAE-GAN's ε and prior
   codes, a GAN's z) are recorded, in the order it makes them.
3. export_probe replays the same batches and noise through GenLab's own training iteration
   (Model::replay_noise) from the same weights.
Each iteration's losses (train.py's log against GenLab's StepStats) and every tensor of the two
final checkpoints must agree (a convolution's bias that feeds batch normalisation only within a
coarse bound: see before_batch_norm). A different loss, target, β warm-up, optimizer, update
order or moving average in either makes the trajectories part. Prints "N passed, N failed" last.
"""
import importlib.util
import io
import json
import math
import subprocess
import sys
from contextlib import redirect_stdout

import torch

probe, out_dir, iterations, sets = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
subprocess.run([probe, "export", out_dir, "0", *sets], check=True)

spec = importlib.util.spec_from_file_location("genlab_train_replayed", f"{out_dir}/train.py")
tr = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tr)
gm = tr.gm

# ---- recording: the data and the batches' indices, then every Gaussian draw once training starts ----
data = {}
batches = []
noise = []
started = [False]

load_data = tr.load_data


def recording_load_data(data_dir):
    x, y = load_data(data_dir)
    data["x"], data["y"] = x, y
    return x, y


next_batch = tr.Batches.next


def recording_next(self):
    started[0] = True
    idx = next_batch(self)
    batches.append(idx.clone())
    return idx


def recorded(f):
    def draw(*a, **k):
        t = f(*a, **k)
        if started[0]:
            noise.append(t.detach().clone())
        return t
    return draw


def refused(name):
    def draw(*a, **k):
        if started[0]:
            raise RuntimeError(f"torch.{name} during training: this check replays Gaussian draws only")
        return getattr(torch, f"_replay_{name}")(*a, **k)
    return draw


tr.load_data = recording_load_data
tr.Batches.next = recording_next
torch.randn, torch.randn_like = recorded(torch.randn), recorded(torch.randn_like)
for name in ("rand", "rand_like", "randint", "bernoulli"):
    setattr(torch, f"_replay_{name}", getattr(torch, name))
    setattr(torch, name, refused(name))

sys.argv = ["train.py", "--steps", str(iterations), "--log-every", "1", "--out", f"{out_dir}/replay"]
log = io.StringIO()
with redirect_stdout(log):
    tr.main()
torch_steps = [json.loads(l) for l in log.getvalue().splitlines() if l.startswith("{")]
torch_steps = [l for l in torch_steps if l.get("event") == "train"]

draws = {f"x.{i}": data["x"][idx].reshape(len(idx), -1).contiguous() for i, idx in enumerate(batches)}
if gm.SPEC["classes"] > 0:
    draws.update({f"y.{i}": data["y"][idx].reshape(-1, 1).float() for i, idx in enumerate(batches)})
draws.update({f"noise.{i}": z.reshape(z.shape[0], -1).contiguous() for i, z in enumerate(noise)})
gm.write_safetensors(f"{out_dir}/replay/draws.safetensors", draws, {})
run = subprocess.run([probe, "replay", out_dir, str(iterations)], capture_output=True, text=True)
genlab_steps = [json.loads(l) for l in run.stdout.splitlines() if l.startswith("{")]

passed = failed = 0


def check(ok, what):
    global passed, failed
    print(f"{'ok  ' if ok else 'FAIL'} {what}")
    passed, failed = passed + ok, failed + (not ok)


print(f"train.py drew {len(batches)} batches and {len(noise)} Gaussian tensors in {iterations} iterations")
check(run.returncode == 0, f"export_probe replay exited with {run.returncode} {run.stderr.strip()}")
check(len(torch_steps) == iterations and len(genlab_steps) == iterations,
      f"{len(torch_steps)} train.py and {len(genlab_steps)} GenLab iterations of {iterations}")

# Losses, iteration by iteration: the ones train.py logs (a GAN's are its last D and G step of the
# iteration on both sides, whatever k_d).
for t, (ours, theirs) in enumerate(zip(genlab_steps, torch_steps), start=1):
    for key in ("loss", "recon", "kl", "d_loss", "g_loss"):
        if key not in theirs:
            continue
        a, b = ours[key], theirs[key]
        ok = math.isfinite(a) and abs(a - b) <= 1e-4 * max(1.0, abs(b))
        check(ok, f"iteration {t} {key}: GenLab {a:.7g}, train.py {b:.7g}")

# Every tensor of train.py's checkpoint against GenLab's after the same iterations.
theirs, _ = gm.read_safetensors(f"{out_dir}/replay/model.safetensors")
ours, _ = gm.read_safetensors(f"{out_dir}/replay/genlab.safetensors") if run.returncode == 0 else ({}, None)
check(len(theirs) > 0 and set(theirs) == set(ours), f"the same {len(theirs)} tensors in both checkpoints")


# The most a parameter can move: the largest learning rate, by the updates of one network.
LR_MAX = max(tr.CFG[k] for k in ("lr", "g_lr", "d_lr"))
UPDATES = iterations * max(1, tr.CFG.get("k_d", 1), tr.CFG.get("k_g", 1))


def err_of(name):
    a, b = ours[name].double(), theirs[name].double()
    return (a - b).abs().max().item() if a.shape == b.shape else math.inf


def before_batch_norm(name):
    """A convolution's bias that feeds batch normalisation (NET.i.bias with NET.(i+1).running_mean):
    normalisation removes it, so its true gradient is 0 and what each side's rounding leaves, Adam
    turns into steps of about lr (the usual DCGAN layers have no such bias). Such a bias is only
    held to a coarse bound (three learning rates per update); the running mean it shifts (a moving
    average of batch means that include it) gets that bias's final difference on top of its
    tolerance. G's moving average (G_ema, no statistics of its own) averages G's, so its copy of such
    a bias gets the same coarse bound."""
    net, i, what = name.rsplit(".", 2)
    stats = f"{'G' if net == 'G_ema' else net}.{int(i) + 1}.running_mean"
    return what == "bias" and stats in theirs and ours[name].numel() == theirs[stats].numel()


for name in sorted(set(theirs) & set(ours)):
    err, scale = err_of(name), max(theirs[name].double().abs().max().item(), 1e-30)
    if before_batch_norm(name):
        bound = 3 * LR_MAX * UPDATES
        check(err <= bound, f"{name}: feeds batch normalisation, max |GenLab - train.py| {err:.3g} (coarse bound {bound:.3g})")
        continue
    tol = 1e-5 * scale + 1e-7
    net, i, what = name.rsplit(".", 2)
    previous = f"{net}.{int(i) - 1}.bias"
    if what == "running_mean" and previous in theirs and before_batch_norm(previous):
        tol += err_of(previous)
    check(err <= tol, f"{name}: max |GenLab - train.py| {err:.3g} (largest |value| {scale:.3g}, tolerance {tol:.3g})")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
