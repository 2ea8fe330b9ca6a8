#!/usr/bin/python3
"""Writes trajectory_fixture.txt: ten training iterations of each model kind in PyTorch, the loss
of every iteration and the weights at the end (run by hand with Debian's python3-torch; CI only
reads the committed file).

    /usr/bin/python3 tests/reference/make_trajectory_fixtures.py

GenLab replays the same batches and the same noise (Model::replay_noise) through its real
training iteration (Model::train_iteration), so a wrong loss, target, step count, optimizer or
moving average shows up as a different trajectory.

vae: x (4, 6) in [0, 1] per step; encoder 6 -> 5 tanh -> 4 (mu, logvar); decoder 2 -> 5 tanh ->
  6 logits; Bernoulli likelihood; beta = 0.5 warmed up linearly over 4 steps (beta_t = 0.5 *
  min(1, t / 4) at step t = 0, 1, ...); Adam lr 0.01.
gan_<loss> for minimax, nonsaturating, lsgan, hinge: G 3 -> 5 relu -> 2; D packs 2 samples:
  4 -> 5 leaky_relu(0.2) -> 1; per iteration k_D = 2 discriminator steps (each on its own real
  batch (4, 2) and fresh noise) then k_G = 1 generator step on fresh noise (4, 3); one-sided label
  smoothing 0.1 for the cross-entropy losses; Adam lr 0.01, betas (0.5, 0.999) for both; G's
  moving average with decay 0.9 after every G step, starting at G's initial weights.
vaegan: x (4, 6) in [0, 1] per step; encoder 6 -> 5 tanh -> 4 (mu, logvar); decoder 2 -> 5 tanh ->
  6 sigmoid; D 6 -> 5 leaky_relu(0.2) -> 4 leaky_relu(0.2) -> 1, its second hidden layer the
  features f; per step eps (4, 2) for z = mu + sigma * eps, then z_p (4, 2) from the prior. The
  three objectives of Larsen et al. (2016), each a batch mean: L_llike = 1/2 |f(dec(z)) - f(x)|^2
  (f(x) a constant), KL with beta = 0.8 warmed up over 3 steps; encoder: L_llike + beta_t KL;
  decoder: gamma L_llike + G's non-saturating loss on dec(z) and on dec(z_p), gamma = 0.6; D: its
  loss on x (smoothing 0.1) and on both generated batches, detached. All three gradients at the
  same weights, then Adam for each (encoder and decoder lr 0.01, betas (0.9, 0.999); D lr 0.02,
  betas (0.5, 0.999)).

Format as mlp_fixture.txt: 'tensor NAME ROWS COLS' then the values. Noise tensors are named in
the order GenLab draws them: '<case>.noise.<n>'.
"""
import pathlib

import torch
import torch.nn.functional as F

HERE = pathlib.Path(__file__).parent
STEPS = 10
out = []


def put(name, tensor):
    a = tensor.detach().double().reshape(tensor.shape[0] if tensor.dim() > 1 else 1, -1)
    out.append(f"tensor {name} {a.shape[0]} {a.shape[1]}")
    out.append(" ".join(f"{v:.9g}" for v in a.flatten().tolist()))


def uniform(g, *shape, scale):
    return ((torch.rand(*shape, generator=g) * 2 - 1) * scale).requires_grad_(True)


def vae():
    g = torch.Generator().manual_seed(21)
    B, D, H, L, beta, warmup = 4, 6, 5, 2, 0.5, 4
    p = {
        "enc.0.W": uniform(g, H, D, scale=0.6), "enc.0.b": uniform(g, H, scale=0.2),
        "enc.2.W": uniform(g, 2 * L, H, scale=0.6), "enc.2.b": uniform(g, 2 * L, scale=0.2),
        "dec.0.W": uniform(g, H, L, scale=0.6), "dec.0.b": uniform(g, H, scale=0.2),
        "dec.2.W": uniform(g, D, H, scale=0.6), "dec.2.b": uniform(g, D, scale=0.2),
    }
    for k, v in p.items():
        put(f"vae.init.{k}", v)
    opt = torch.optim.Adam(p.values(), lr=0.01)
    losses, recons, kls = [], [], []
    for t in range(STEPS):
        x = torch.rand(B, D, generator=g)
        eps = torch.randn(B, L, generator=g)
        put(f"vae.x.{t}", x)
        put(f"vae.noise.{t}", eps)
        opt.zero_grad()
        h = torch.tanh(x @ p["enc.0.W"].T + p["enc.0.b"]) @ p["enc.2.W"].T + p["enc.2.b"]
        mu, logvar = h[:, :L], h[:, L:]
        z = mu + eps * torch.exp(0.5 * logvar)
        logits = torch.tanh(z @ p["dec.0.W"].T + p["dec.0.b"]) @ p["dec.2.W"].T + p["dec.2.b"]
        recon = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / B
        kl = -0.5 * torch.sum(1 + logvar - mu * mu - logvar.exp()) / B
        loss = recon + beta * min(1.0, t / warmup) * kl
        loss.backward()
        opt.step()
        losses.append(loss.item()), recons.append(recon.item()), kls.append(kl.item())
    put("vae.loss", torch.tensor([losses]))
    put("vae.recon", torch.tensor([recons]))
    put("vae.kl", torch.tensor([kls]))
    for k, v in p.items():
        put(f"vae.final.{k}", v)


def gan(loss_name, seed):
    g = torch.Generator().manual_seed(seed)
    B, NZ, H, DIM, PACK, smooth, KD, KG, decay = 4, 3, 5, 2, 2, 0.1, 2, 1, 0.9
    G = {"G.0.W": uniform(g, H, NZ, scale=0.7), "G.0.b": uniform(g, H, scale=0.3),
         "G.2.W": uniform(g, DIM, H, scale=0.7), "G.2.b": uniform(g, DIM, scale=0.3)}
    Dp = {"D.0.W": uniform(g, H, DIM * PACK, scale=0.7), "D.0.b": uniform(g, H, scale=0.3),
          "D.2.W": uniform(g, 1, H, scale=0.7), "D.2.b": uniform(g, 1, scale=0.3)}
    case = f"gan_{loss_name}"
    for k, v in {**G, **Dp}.items():
        put(f"{case}.init.{k}", v)
    ema = {k: v.detach().clone() for k, v in G.items()}
    d_opt = torch.optim.Adam(Dp.values(), lr=0.01, betas=(0.5, 0.999))
    g_opt = torch.optim.Adam(G.values(), lr=0.01, betas=(0.5, 0.999))
    ce = loss_name in ("minimax", "nonsaturating")

    def gen(zz):
        return F.relu(zz @ G["G.0.W"].T + G["G.0.b"]) @ G["G.2.W"].T + G["G.2.b"]

    def disc(xx):
        packed = xx.reshape(xx.shape[0] // PACK, PACK * DIM)  # consecutive samples side by side
        return F.leaky_relu(packed @ Dp["D.0.W"].T + Dp["D.0.b"], 0.2) @ Dp["D.2.W"].T + Dp["D.2.b"]

    def d_objective(a_r, a_f):
        if ce:
            return (F.binary_cross_entropy_with_logits(a_r, torch.full_like(a_r, 1 - smooth)) +
                    F.binary_cross_entropy_with_logits(a_f, torch.zeros_like(a_f)))
        if loss_name == "lsgan":
            return (0.5 * (a_r - 1) ** 2).mean() + (0.5 * a_f ** 2).mean()
        return F.relu(1 - a_r).mean() + F.relu(1 + a_f).mean()  # hinge

    def g_objective(a):
        if loss_name == "minimax":
            return torch.log(1 - torch.sigmoid(a)).mean()
        if loss_name == "nonsaturating":
            return F.binary_cross_entropy_with_logits(a, torch.ones_like(a))
        if loss_name == "lsgan":
            return (0.5 * (a - 1) ** 2).mean()
        return -a.mean()  # hinge

    n = 0
    d_losses, g_losses = [], []
    for t in range(STEPS):
        for k in range(KD):
            real = torch.randn(B, DIM, generator=g) * 0.5 + 1.0
            z = torch.randn(B, NZ, generator=g)
            put(f"{case}.real.{t * KD + k}", real)
            put(f"{case}.noise.{n}", z)
            n += 1
            d_opt.zero_grad()
            d_loss = d_objective(disc(real), disc(gen(z).detach()))
            d_loss.backward()
            d_opt.step()
        for k in range(KG):
            z = torch.randn(B, NZ, generator=g)
            put(f"{case}.noise.{n}", z)
            n += 1
            g_opt.zero_grad()
            g_loss = g_objective(disc(gen(z)))
            g_loss.backward()
            g_opt.step()
            with torch.no_grad():
                for key, w in G.items():
                    ema[key] += (1 - decay) * (w - ema[key])
        d_losses.append(d_loss.item()), g_losses.append(g_loss.item())
    put(f"{case}.d_loss", torch.tensor([d_losses]))
    put(f"{case}.g_loss", torch.tensor([g_losses]))
    for k, v in {**G, **Dp}.items():
        put(f"{case}.final.{k}", v)
    for k, v in ema.items():
        put(f"{case}.ema.{k}", v)


def vaegan():
    g = torch.Generator().manual_seed(31)
    B, D, H, HD, F_, L, beta, warmup, gamma, smooth = 4, 6, 5, 5, 4, 2, 0.8, 3, 0.6, 0.1
    enc = {"enc.0.W": uniform(g, H, D, scale=0.6), "enc.0.b": uniform(g, H, scale=0.2),
           "enc.2.W": uniform(g, 2 * L, H, scale=0.6), "enc.2.b": uniform(g, 2 * L, scale=0.2)}
    dec = {"dec.0.W": uniform(g, H, L, scale=0.6), "dec.0.b": uniform(g, H, scale=0.2),
           "dec.2.W": uniform(g, D, H, scale=0.6), "dec.2.b": uniform(g, D, scale=0.2)}
    dis = {"D.0.W": uniform(g, HD, D, scale=0.6), "D.0.b": uniform(g, HD, scale=0.2),
           "D.2.W": uniform(g, F_, HD, scale=0.6), "D.2.b": uniform(g, F_, scale=0.2),
           "D.4.W": uniform(g, 1, F_, scale=0.6), "D.4.b": uniform(g, 1, scale=0.2)}
    for k, v in {**enc, **dec, **dis}.items():
        put(f"vaegan.init.{k}", v)
    enc_opt = torch.optim.Adam(enc.values(), lr=0.01)
    dec_opt = torch.optim.Adam(dec.values(), lr=0.01)
    d_opt = torch.optim.Adam(dis.values(), lr=0.02, betas=(0.5, 0.999))

    def decode(z):
        return torch.sigmoid(torch.tanh(z @ dec["dec.0.W"].T + dec["dec.0.b"]) @ dec["dec.2.W"].T + dec["dec.2.b"])

    def features(x):
        h = F.leaky_relu(x @ dis["D.0.W"].T + dis["D.0.b"], 0.2)
        return F.leaky_relu(h @ dis["D.2.W"].T + dis["D.2.b"], 0.2)

    def score(f):
        return f @ dis["D.4.W"].T + dis["D.4.b"]

    def bce(a, target):
        return F.binary_cross_entropy_with_logits(a, torch.full_like(a, target))

    rows = {k: [] for k in ("loss", "llike", "kl", "d_loss", "g_loss", "d_real", "d_fake")}
    for t in range(STEPS):
        x = torch.rand(B, D, generator=g)
        eps = torch.randn(B, L, generator=g)
        zp = torch.randn(B, L, generator=g)
        put(f"vaegan.x.{t}", x)
        put(f"vaegan.noise.{2 * t}", eps)
        put(f"vaegan.noise.{2 * t + 1}", zp)
        h = torch.tanh(x @ enc["enc.0.W"].T + enc["enc.0.b"]) @ enc["enc.2.W"].T + enc["enc.2.b"]
        mu, logvar = h[:, :L], h[:, L:]
        x_tilde = decode(mu + eps * torch.exp(0.5 * logvar))
        x_p = decode(zp)
        llike = 0.5 * ((features(x_tilde) - features(x).detach()) ** 2).sum() / B
        kl = -0.5 * torch.sum(1 + logvar - mu * mu - logvar.exp()) / B
        beta_t = beta * min(1.0, t / warmup)
        g_loss = bce(score(features(x_tilde)), 1.0) + bce(score(features(x_p)), 1.0)
        a_real = score(features(x))
        a_fake = score(features(x_p.detach()))
        d_loss = bce(a_real, 1 - smooth) + bce(score(features(x_tilde.detach())), 0.0) + bce(a_fake, 0.0)
        grads = (torch.autograd.grad(llike + beta_t * kl, list(enc.values()), retain_graph=True) +
                 torch.autograd.grad(gamma * llike + g_loss, list(dec.values()), retain_graph=True) +
                 torch.autograd.grad(d_loss, list(dis.values())))
        for p, gr in zip([*enc.values(), *dec.values(), *dis.values()], grads):
            p.grad = gr
        for o in (enc_opt, dec_opt, d_opt):
            o.step()
        for k, v in (("loss", llike + beta_t * kl), ("llike", llike), ("kl", kl), ("d_loss", d_loss),
                     ("g_loss", g_loss), ("d_real", torch.sigmoid(a_real).mean()),
                     ("d_fake", torch.sigmoid(a_fake).mean())):
            rows[k].append(v.item())
    for k, v in rows.items():
        put(f"vaegan.{k}", torch.tensor([v]))
    for k, v in {**enc, **dec, **dis}.items():
        put(f"vaegan.final.{k}", v)


vae()
for i, name in enumerate(["minimax", "nonsaturating", "lsgan", "hinge"]):
    gan(name, 100 + i)
vaegan()
(HERE / "trajectory_fixture.txt").write_text(
    f"# written by make_trajectory_fixtures.py with torch {torch.__version__}\n" + "\n".join(out) + "\n")
print(f"wrote trajectory_fixture.txt ({len(out) // 2} tensors)")
