#!/usr/bin/python3
"""Writes vae_fixture.txt and gan_fixture.txt: PyTorch references for one VAE step and one GAN
iteration (run by hand with Debian's python3-torch; CI only reads the committed files).

    /usr/bin/python3 tests/reference/make_model_fixtures.py

VAE: x (4, 6) in [0, 1]; encoder 6 -> 5 tanh -> 4 (mu, logvar: 2 + 2); decoder 2 -> 5 tanh -> 6
logits; given eps (4, 2); loss = [BCE-with-logits summed + beta * KL] / B with beta = 0.5; every
parameter gradient; parameters after one Adam step (lr 0.01).
GAN: G 3 -> 5 relu -> 2; D packs 2 samples: 4 -> 5 leaky_relu(0.2) -> 1; non-saturating loss with
one-sided label smoothing 0.1; real (4, 2), z (4, 3): D loss and gradients, D after one Adam step
(lr 0.01, betas 0.5/0.999), then with that D a G step on z2 (4, 3): G loss, gradients, G after.
Parameter names follow GenLab's ParamStore ('enc.0.W', 'D.2.b', ...). Format as mlp_fixture.txt.
"""
import pathlib

import torch
import torch.nn.functional as F

HERE = pathlib.Path(__file__).parent


def put(out, name, tensor):
    a = tensor.detach().double().reshape(tensor.shape[0] if tensor.dim() > 1 else 1, -1)
    out.append(f"tensor {name} {a.shape[0]} {a.shape[1]}")
    out.append(" ".join(f"{v:.9g}" for v in a.flatten().tolist()))


def uniform(g, *shape, scale):
    return ((torch.rand(*shape, generator=g) * 2 - 1) * scale).requires_grad_(True)


def write(name, out):
    (HERE / name).write_text(f"# written by make_model_fixtures.py with torch {torch.__version__}\n" +
                             "\n".join(out) + "\n")
    print(f"wrote {name} ({len(out) // 2} tensors)")


def vae():
    g = torch.Generator().manual_seed(7)
    B, D, H, L, beta = 4, 6, 5, 2, 0.5
    p = {
        "enc.0.W": uniform(g, H, D, scale=0.6), "enc.0.b": uniform(g, H, scale=0.2),
        "enc.2.W": uniform(g, 2 * L, H, scale=0.6), "enc.2.b": uniform(g, 2 * L, scale=0.2),
        "dec.0.W": uniform(g, H, L, scale=0.6), "dec.0.b": uniform(g, H, scale=0.2),
        "dec.2.W": uniform(g, D, H, scale=0.6), "dec.2.b": uniform(g, D, scale=0.2),
    }
    x = torch.rand(B, D, generator=g)
    eps = torch.randn(B, L, generator=g)
    out = []
    put(out, "x", x)
    put(out, "eps", eps)
    for k, v in p.items():
        put(out, k, v)
    h = torch.tanh(x @ p["enc.0.W"].T + p["enc.0.b"]) @ p["enc.2.W"].T + p["enc.2.b"]
    mu, logvar = h[:, :L], h[:, L:]
    z = mu + eps * torch.exp(0.5 * logvar)
    logits = torch.tanh(z @ p["dec.0.W"].T + p["dec.0.b"]) @ p["dec.2.W"].T + p["dec.2.b"]
    recon = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / B
    kl = -0.5 * torch.sum(1 + logvar - mu * mu - logvar.exp()) / B
    loss = recon + beta * kl
    loss.backward()
    put(out, "recon", recon.reshape(1, 1))
    put(out, "kl", kl.reshape(1, 1))
    put(out, "loss", loss.reshape(1, 1))
    for k, v in p.items():
        put(out, "d" + k, v.grad)
    opt = torch.optim.Adam(p.values(), lr=0.01)
    opt.step()
    for k, v in p.items():
        put(out, "adam_" + k, v)
    write("vae_fixture.txt", out)


def gan():
    g = torch.Generator().manual_seed(11)
    B, NZ, H, DIM, PACK, smooth = 4, 3, 5, 2, 2, 0.1
    G = {"G.0.W": uniform(g, H, NZ, scale=0.7), "G.0.b": uniform(g, H, scale=0.3),
         "G.2.W": uniform(g, DIM, H, scale=0.7), "G.2.b": uniform(g, DIM, scale=0.3)}
    Dp = {"D.0.W": uniform(g, H, DIM * PACK, scale=0.7), "D.0.b": uniform(g, H, scale=0.3),
          "D.2.W": uniform(g, 1, H, scale=0.7), "D.2.b": uniform(g, 1, scale=0.3)}
    real = torch.randn(B, DIM, generator=g)
    z = torch.randn(B, NZ, generator=g)
    z2 = torch.randn(B, NZ, generator=g)
    out = []
    for name, t in (("real", real), ("z", z), ("z2", z2)):
        put(out, name, t)
    for k, v in {**G, **Dp}.items():
        put(out, k, v)

    def gen(zz):
        return F.relu(zz @ G["G.0.W"].T + G["G.0.b"]) @ G["G.2.W"].T + G["G.2.b"]

    def disc(xx):
        packed = xx.reshape(xx.shape[0] // PACK, PACK * DIM)  # consecutive samples side by side
        return F.leaky_relu(packed @ Dp["D.0.W"].T + Dp["D.0.b"], 0.2) @ Dp["D.2.W"].T + Dp["D.2.b"]

    fake = gen(z).detach()
    a_r, a_f = disc(real), disc(fake)
    d_loss = (F.binary_cross_entropy_with_logits(a_r, torch.full_like(a_r, 1 - smooth)) +
              F.binary_cross_entropy_with_logits(a_f, torch.zeros_like(a_f)))
    d_loss.backward()
    put(out, "fake", fake)
    put(out, "d_loss", d_loss.reshape(1, 1))
    for k, v in Dp.items():
        put(out, "d" + k, v.grad)
    d_opt = torch.optim.Adam(Dp.values(), lr=0.01, betas=(0.5, 0.999))
    d_opt.step()
    for k, v in Dp.items():
        put(out, "adam_" + k, v)
        v.grad = None
    a = disc(gen(z2))
    g_loss = F.binary_cross_entropy_with_logits(a, torch.ones_like(a))
    g_loss.backward()
    put(out, "g_loss", g_loss.reshape(1, 1))
    for k, v in G.items():
        put(out, "d" + k, v.grad)
    g_opt = torch.optim.Adam(G.values(), lr=0.01, betas=(0.5, 0.999))
    g_opt.step()
    for k, v in G.items():
        put(out, "adam_" + k, v)
    write("gan_fixture.txt", out)


if __name__ == "__main__":
    vae()
    gan()
