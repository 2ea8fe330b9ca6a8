#!/usr/bin/python3
"""Writes conv_fixture.txt: a PyTorch reference for GenLab's Conv2d and ConvTranspose2d inside small
DCGAN-shaped networks (run by hand with Debian's python3-torch; CI only reads the committed file).

    /usr/bin/python3 tests/reference/make_conv_fixtures.py

D: x (3, 1x8x8) -> Conv2d(1, 4, k4, s2, p1) -> LeakyReLU(0.2) -> Conv2d(4, 6, k3, s2, p1)
   -> LeakyReLU(0.2) -> flatten (channel-first) -> Linear(24, 1); loss = BCE-with-logits against
   targets t, mean over the batch.
G: z (3, 4) -> Linear(4, 18) -> ReLU -> view (2, 3, 3) -> ConvTranspose2d(2, 3, k4, s2, p1) -> ReLU
   -> ConvTranspose2d(3, 1, k3, s1, p1) -> tanh; loss = mean squared error against y_t (summed over
   pixels, mean over the batch).
BN: x (4, 3x2x2) -> BatchNorm2d(3) in training (running statistics from 0 and 1, momentum 0.1,
   eps 1e-5); loss = sum(y * r); then in evaluation on x2.
Written: inputs, parameters (named as GenLab's ParamStore: 'D.0.W', 'G.2.W', ...), each network's
output, loss, every parameter gradient and the input gradient, then the parameters after one Adam
step (lr 0.01, betas 0.5/0.999). Format as mlp_fixture.txt (tensors as rows x columns).
"""
import pathlib

import torch
import torch.nn.functional as F

from make_model_fixtures import put, uniform  # the same text format and parameter draws

HERE = pathlib.Path(__file__).parent


def adam_step(params, out, prefix):
    opt = torch.optim.Adam(params.values(), lr=0.01, betas=(0.5, 0.999))
    opt.step()
    for k, v in params.items():
        put(out, prefix + k, v)


def main():
    g = torch.Generator().manual_seed(23)
    B = 3
    out = []
    D = {"D.0.W": uniform(g, 4, 1, 4, 4, scale=0.5), "D.0.b": uniform(g, 4, scale=0.2),
         "D.2.W": uniform(g, 6, 4, 3, 3, scale=0.3), "D.2.b": uniform(g, 6, scale=0.2),
         "D.4.W": uniform(g, 1, 24, scale=0.4), "D.4.b": uniform(g, 1, scale=0.2)}
    x = torch.rand(B, 1, 8, 8, generator=g).requires_grad_(True)
    t = torch.tensor([[1.0], [0.0], [0.9]])
    h = F.leaky_relu(F.conv2d(x, D["D.0.W"], D["D.0.b"], stride=2, padding=1), 0.2)
    h = F.leaky_relu(F.conv2d(h, D["D.2.W"], D["D.2.b"], stride=2, padding=1), 0.2)
    logits = h.reshape(B, -1) @ D["D.4.W"].T + D["D.4.b"]
    d_loss = F.binary_cross_entropy_with_logits(logits, t)
    d_loss.backward()
    put(out, "x", x)
    put(out, "t", t)
    for k, v in D.items():
        put(out, k, v)
    put(out, "logits", logits)
    put(out, "d_loss", d_loss.reshape(1, 1))
    put(out, "dx", x.grad)
    for k, v in D.items():
        put(out, "d" + k, v.grad)
    adam_step(D, out, "adam_")

    G = {"G.0.W": uniform(g, 18, 4, scale=0.5), "G.0.b": uniform(g, 18, scale=0.2),
         "G.2.W": uniform(g, 2, 3, 4, 4, scale=0.4), "G.2.b": uniform(g, 3, scale=0.2),
         "G.4.W": uniform(g, 3, 1, 3, 3, scale=0.4), "G.4.b": uniform(g, 1, scale=0.2)}
    z = torch.randn(B, 4, generator=g).requires_grad_(True)
    y_t = torch.rand(B, 36, generator=g) * 2 - 1
    h = F.relu(z @ G["G.0.W"].T + G["G.0.b"]).reshape(B, 2, 3, 3)
    h = F.relu(F.conv_transpose2d(h, G["G.2.W"], G["G.2.b"], stride=2, padding=1))
    y = torch.tanh(F.conv_transpose2d(h, G["G.4.W"], G["G.4.b"], stride=1, padding=1)).reshape(B, -1)
    g_loss = ((y - y_t) ** 2).sum() / B
    g_loss.backward()
    put(out, "z", z)
    put(out, "y_t", y_t)
    for k, v in G.items():
        put(out, k, v)
    put(out, "y", y)
    put(out, "g_loss", g_loss.reshape(1, 1))
    put(out, "dz", z.grad)
    for k, v in G.items():
        put(out, "d" + k, v.grad)
    adam_step(G, out, "adam_")

    gamma = uniform(g, 3, scale=1.0)
    beta = uniform(g, 3, scale=0.5)
    xb = (torch.randn(4, 3, 2, 2, generator=g) * 2 + 1).requires_grad_(True)
    r = torch.randn(4, 3, 2, 2, generator=g)
    running_mean, running_var = torch.zeros(3), torch.ones(3)
    yb = F.batch_norm(xb, running_mean, running_var, gamma, beta, training=True, momentum=0.1, eps=1e-5)
    (yb * r).sum().backward()
    x2 = torch.randn(2, 3, 2, 2, generator=g)
    y2 = F.batch_norm(x2, running_mean, running_var, gamma, beta, training=False, eps=1e-5)
    for name, t in (("bn_x", xb), ("bn_r", r), ("bn.W", gamma), ("bn.b", beta), ("bn_y", yb), ("bn_dx", xb.grad),
                    ("bn_dW", gamma.grad), ("bn_db", beta.grad), ("bn.mean", running_mean), ("bn.var", running_var),
                    ("bn_x2", x2), ("bn_y2", y2)):
        put(out, name, t)

    (HERE / "conv_fixture.txt").write_text(f"# written by make_conv_fixtures.py with torch {torch.__version__}\n" +
                                           "\n".join(out) + "\n")
    print(f"wrote conv_fixture.txt ({len(out) // 2} tensors)")


if __name__ == "__main__":
    main()
