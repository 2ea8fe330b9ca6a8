"""GenLab → PyTorch → GenLab, for one model configuration (a ctest case per configuration).

    python3 roundtrip.py PROBE DIR key=value...

1. export_probe trains the model a little in GenLab and exports it (weights + generated module),
   with probe inputs and GenLab's outputs for them.
2. The generated module loads the weights; its outputs for the same inputs must match GenLab's
   within 1e-5 (relative to the tensor's largest value).
   A compact checkpoint of it (Session::export_checkpoint) expands to the tensors GenLab imports.
3. The model trains 20 steps in PyTorch (Adam), is saved by the module, and export_probe imports
   it back: GenLab's outputs must match PyTorch's within the same tolerance.
Prints "N passed, N failed" last; exits 1 on any failure.
"""
import importlib.util
import subprocess
import sys

import torch

probe, out_dir, sets = sys.argv[1], sys.argv[2], sys.argv[3:]
subprocess.run([probe, "export", out_dir, "40", *sets], check=True)

spec = importlib.util.spec_from_file_location("genlab_model", f"{out_dir}/genlab_model.py")
gm = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gm)

passed = failed = 0


def compare(what, ours, ref):
    global passed, failed
    err = (ours - ref).abs().max().item()
    rel = err / max(ref.abs().max().item(), 1e-30)
    ok = rel <= 1e-5
    print(f"{'ok  ' if ok else 'FAIL'} {what}: max |PyTorch - GenLab| {err:.3g}, relative {rel:.3g}")
    passed, failed = passed + ok, failed + (not ok)


def outputs(model, x, z, y):
    with torch.no_grad():
        if isinstance(model, (gm.VAE, gm.VAEGAN)):
            mu, logvar = model.encode(x, y)
            o = {"mu": mu, "logvar": logvar, "x_mean": model.decode(z, y)}
            if isinstance(model, gm.VAEGAN):
                o["d"] = model.discriminate(x)
            return o
        o = {"g": model.generate(z, y), "d": model.discriminate(x, y)}
        if model.G_ema is not None:
            o["g_raw"] = model.generate(z, y, ema=False)
        return o


tensors, _ = gm.read_safetensors(f"{out_dir}/probe.safetensors")
x, z = tensors["x"], tensors["z"]
y = tensors["y"].reshape(-1).long() if gm.SPEC["classes"] > 0 else None
model = gm.load(f"{out_dir}/model.safetensors")
before = outputs(model, x, z, y)
for name, t in before.items():
    compare(f"GenLab-trained {name}", t, tensors[name])

# A compact checkpoint (bytes with row scales, G left out) expands in the module to exactly the
# tensors GenLab's import makes of it.
compact = gm.genlab_tensors(gm.load(f"{out_dir}/compact.safetensors"))
expanded = gm.genlab_tensors(gm.load(f"{out_dir}/compact_expanded.safetensors"))
diff = max((compact[k] - expanded[k]).abs().max().item() for k in expanded)
ok = diff == 0.0 and compact.keys() == expanded.keys()
print(f"{'ok  ' if ok else 'FAIL'} compact checkpoint: PyTorch's expansion differs from GenLab's by {diff:.3g}")
passed, failed = passed + ok, failed + (not ok)

# Train in PyTorch: every network moves (G and D, or encoder and decoder), and G_ema with G.
torch.manual_seed(0)
model.train()
data = x.repeat(4, 1)
yy = y.repeat(4) if y is not None else None
if isinstance(model, gm.VAE):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(20):
        opt.zero_grad()
        model.loss(data, yy)[0].backward()
        opt.step()
elif isinstance(model, gm.VAEGAN):
    # Encoder and decoder on the reconstruction in D's features (and the KL), D on telling x from
    # the decoder's samples: every network moves.
    opt = torch.optim.Adam(list(model.enc.parameters()) + list(model.dec.parameters()), lr=1e-3)
    opt_d = torch.optim.Adam(model.D.parameters(), lr=1e-3)
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    for _ in range(20):
        mu, logvar = model.encode(data)
        x_t = model.decode(mu + torch.randn_like(mu) * torch.exp(0.5 * logvar))
        llike = 0.5 * ((model.features(x_t) - model.features(data).detach()) ** 2).sum() / data.shape[0]
        kl = 0.5 * (mu**2 + torch.exp(logvar) - 1 - logvar).sum() / data.shape[0]
        opt.zero_grad()
        (llike + kl).backward()
        opt.step()
        real_a, fake_a = model.critic(data), model.critic(model.sample(data.shape[0]))
        opt_d.zero_grad()
        (bce(real_a, torch.ones_like(real_a)) + bce(fake_a, torch.zeros_like(fake_a))).backward()
        opt_d.step()
else:
    opt_d = torch.optim.Adam(model.D.parameters(), lr=1e-3)
    opt_g = torch.optim.Adam(model.G.parameters(), lr=1e-3)
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    for _ in range(20):
        fake = model.generate(model.noise(data.shape[0]), yy, ema=False)
        real_a, fake_a = model.critic(data, yy), model.critic(fake.detach(), yy)
        opt_d.zero_grad()
        (bce(real_a, torch.ones_like(real_a)) + bce(fake_a, torch.zeros_like(fake_a))).backward()
        opt_d.step()
        fake_a = model.critic(model.generate(model.noise(data.shape[0]), yy, ema=False), yy)
        opt_g.zero_grad()
        bce(fake_a, torch.ones_like(fake_a)).backward()
        opt_g.step()
        if model.G_ema is not None:
            model.update_ema(0.9)
model.eval()
gm.save(model, f"{out_dir}/trained.safetensors", step=60)
after = outputs(model, x, z, y)
moved = max((after[k] - before[k]).abs().max().item() for k in after)
ok = moved > 1e-4
print(f"{'ok  ' if ok else 'FAIL'} PyTorch training moved the outputs by up to {moved:.3g}")
passed, failed = passed + ok, failed + (not ok)
gm.write_safetensors(f"{out_dir}/torch_outputs.safetensors", after, {})

check = subprocess.run([probe, "check", out_dir], capture_output=True, text=True)
print(check.stdout.strip())
if check.returncode != 0:
    print(check.stderr.strip())
for line in check.stdout.splitlines():
    if line.startswith("ok  "):
        passed += 1
    elif line.startswith("FAIL"):
        failed += 1
if check.returncode != 0 and not any(l.startswith("FAIL") for l in check.stdout.splitlines()):
    failed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
