"""GenLab → PyTorch training under torchrun (2 processes, DistributedDataParallel over gloo on the
CPU) → GenLab, for one configuration (a ctest case each):

    python3 torchrun_check.py PROBE DIR STEPS key=value...

export_probe exports the model with its training script (train.py) and probe inputs; torchrun
runs train.py for STEPS iterations on two processes; the first logged loss must be above the last
(VAEs: −ELBO; GANs: every logged loss finite instead), β's warm-up (kl_warmup) follows GenLab's
step by step, and the checkpoint imports back into GenLab with outputs matching PyTorch's within
1e-5 (export_probe check). Prints "N passed, N failed".
"""
import json
import math
import shutil
import subprocess
import sys

probe, out_dir, steps, sets = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
subprocess.run([probe, "export", out_dir, "0", *sets], check=True)

# Debian 12's torch 1.13 launcher under Python 3.11 cannot parse "--redirects 0" (its default):
# IntFlag iteration skips NONE. Redirecting stdout to its log and teeing it back works.
cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2", "--redirects", "1",
       "--tee", "1", f"{out_dir}/train.py", "--steps", steps, "--log-every", str(max(1, int(steps) // 6)),
       "--out", f"{out_dir}/run", "--probe", f"{out_dir}/probe.safetensors"]
run = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
lines = [json.loads(l.split(":", 1)[1]) for l in run.stdout.splitlines() if l.startswith("[default0]:{")]
print("\n".join(json.dumps(l) for l in lines))
passed = failed = 0


def check(ok, what):
    global passed, failed
    print(f"{'ok  ' if ok else 'FAIL'} {what}")
    passed, failed = passed + ok, failed + (not ok)


check(run.returncode == 0, f"torchrun exited with {run.returncode}")
if run.returncode != 0:
    print(run.stderr[-3000:])
train = [l for l in lines if l.get("event") == "train"]
check(len(train) >= 2 and all(l["processes"] == 2 for l in train), f"{len(train)} log lines from 2 processes")
if train and "loss" in train[0]:
    check(train[-1]["loss"] < train[0]["loss"], f"-ELBO fell: {train[0]['loss']:.4f} -> {train[-1]['loss']:.4f}")
elif train:
    vals = [v for l in train for k, v in l.items() if k.endswith("_loss")]
    check(all(math.isfinite(v) for v in vals), f"GAN losses finite: D {train[-1]['d_loss']:.4f}, G {train[-1]['g_loss']:.4f}")
settings = dict(s.split("=", 1) for s in sets)
warmup = int(settings.get("kl_warmup", 0))
logs_beta = all("beta" in l for l in train)
if train and warmup > 0:
    check(logs_beta, "train.py logs β")
if train and warmup > 0 and logs_beta:
    # β's warm-up as GenLab's: step t uses min(1, (t − 1)/warm-up)·β. Each line is the mean over the
    # window of steps that ends at its step; the last window (past the warm-up) gives β itself.
    every, beta = max(1, int(steps) // 6), train[-1]["beta"]
    for l in train:
        window = range(max(1, l["step"] - every + 1), l["step"] + 1)
        want = beta * sum(min(1.0, (t - 1) / warmup) for t in window) / len(window)
        check(abs(l["beta"] - want) <= 1e-6 * beta, f"beta warm-up at step {l['step']}: {l['beta']:.6f} (GenLab's {want:.6f})")
if train and 0 < int(settings.get("batch_start", 0)) < int(settings.get("batch", 0)):  # the batch ramp: the first window at the start, the last at the batch
    check(train[0]["batch"] == int(settings["batch_start"]) and train[-1]["batch"] == int(settings["batch"]),
          f"batch ramp: {train[0]['batch']} first, {train[-1]['batch']} last")
if run.returncode == 0:
    shutil.copy(f"{out_dir}/run/model.safetensors", f"{out_dir}/trained.safetensors")
    shutil.copy(f"{out_dir}/run/torch_outputs.safetensors", f"{out_dir}/torch_outputs.safetensors")
    back = subprocess.run([probe, "check", out_dir], capture_output=True, text=True)
    print(back.stdout.strip(), back.stderr.strip())
    check(back.returncode == 0, "the checkpoint imports into GenLab with PyTorch's outputs")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
