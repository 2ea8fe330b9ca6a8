#!/usr/bin/python3
"""Writes mlp_fixture.txt: an independent PyTorch reference for GenLab's engine (run by hand).

    /usr/bin/python3 tests/reference/make_fixtures.py     # Debian's python3-torch

A 2-layer MLP  x (8, 6) -> Linear(6, 10) -> tanh -> Linear(10, 4) -> logits, loss = BCE with
logits summed over features and averaged over the batch. The file holds the inputs, weights,
activations, loss, every parameter gradient and the input gradient, then the loss and parameters
along three Adam steps and three RMSprop steps (Keras semantics: eps inside the square root,
written out here by hand because torch.optim.RMSprop puts eps outside). CI never runs this script;
it only reads the committed fixture.

Format: '# comment' lines, then per tensor a line 'tensor NAME ROWS COLS' and a line of values.
"""
import pathlib

import torch

torch.manual_seed(1234)
B, IN, HID, OUT = 8, 6, 10, 4
x = torch.rand(B, IN) * 2 - 1
t = torch.rand(B, OUT)


def init_params():
    g = torch.Generator().manual_seed(99)
    return {
        "W1": (torch.rand(HID, IN, generator=g) * 2 - 1) * 0.6,
        "b1": (torch.rand(HID, generator=g) * 2 - 1) * 0.3,
        "W2": (torch.rand(OUT, HID, generator=g) * 2 - 1) * 0.6,
        "b2": (torch.rand(OUT, generator=g) * 2 - 1) * 0.3,
    }


def forward(p, xin):
    h = torch.tanh(xin @ p["W1"].T + p["b1"])
    logits = h @ p["W2"].T + p["b2"]
    loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, t, reduction="sum") / B
    return h, logits, loss


out = []


def put(name, tensor):
    a = tensor.detach().double().reshape(tensor.shape[0] if tensor.dim() > 1 else 1, -1)
    out.append(f"tensor {name} {a.shape[0]} {a.shape[1]}")
    out.append(" ".join(f"{v:.9g}" for v in a.flatten().tolist()))


NAMES = ["W1", "b1", "W2", "b2"]

# One forward/backward.
p = {k: v.clone().requires_grad_(True) for k, v in init_params().items()}
xg = x.clone().requires_grad_(True)
h, logits, loss = forward(p, xg)
loss.backward()
put("x", x)
put("t", t)
for k in NAMES:
    put(k, p[k])
put("h", h)
put("logits", logits)
put("loss", loss.reshape(1, 1))
for k in NAMES:
    put("d" + k, p[k].grad)
put("dx", xg.grad)

# Three Adam steps (torch.optim.Adam: lr 0.01, betas (0.9, 0.999), eps 1e-8).
p = {k: v.clone().requires_grad_(True) for k, v in init_params().items()}
opt = torch.optim.Adam([p[k] for k in NAMES], lr=0.01, betas=(0.9, 0.999), eps=1e-8)
for step in range(1, 4):
    opt.zero_grad()
    _, _, loss = forward(p, x)
    loss.backward()
    opt.step()
    put(f"adam{step}_loss", loss.reshape(1, 1))
    for k in NAMES:
        put(f"adam{step}_{k}", p[k])

# Three RMSprop steps, Keras semantics: s = rho*s + (1-rho)*g^2; w -= lr*g/sqrt(s + eps).
p = {k: v.clone().requires_grad_(True) for k, v in init_params().items()}
s = {k: torch.zeros_like(v) for k, v in p.items()}
lr, rho, eps = 0.01, 0.9, 1e-7
for step in range(1, 4):
    for k in NAMES:
        p[k].grad = None
    _, _, loss = forward(p, x)
    loss.backward()
    with torch.no_grad():
        for k in NAMES:
            g = p[k].grad
            s[k] = rho * s[k] + (1 - rho) * g * g
            p[k] -= lr * g / torch.sqrt(s[k] + eps)
    put(f"rmsprop{step}_loss", loss.reshape(1, 1))
    for k in NAMES:
        put(f"rmsprop{step}_{k}", p[k])

path = pathlib.Path(__file__).with_name("mlp_fixture.txt")
path.write_text(f"# written by make_fixtures.py with torch {torch.__version__}\n" + "\n".join(out) + "\n")
print(f"wrote {path} ({len(out) // 2} tensors)")
