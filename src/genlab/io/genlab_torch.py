"""A GenLab model as PyTorch modules, written by GenLab for one configuration.

    import genlab_model as gm
    model = gm.load("model.safetensors")   # the networks, with the weights GenLab trained
    x = model.sample(16)                   # (16, features) in the data's range
    gm.save(model, "model.safetensors")    # back to GenLab: its page and genlab-train import this

Every network is a `Net`: GenLab's layers in GenLab's order, so a parameter is named as in GenLab
("enc.0.weight" is GenLab's "enc.0.W"). Networks take and return flat rows (batch, features);
images inside are channel-first (C, H, W), as in GenLab. Only `torch` is needed (1.10 or newer).
The .safetensors reader and writer are below, so no other package is either.
"""
import json
import struct
import zlib

import torch
from torch import nn
from torch.nn import functional as F

# ---- this model (GenLab fills these two lines in) ----
SPEC_TEXT = r'''{}'''
CONFIG_TEXT = r''''''
# -------------------------------------------------------

SPEC = json.loads(SPEC_TEXT)
CONFIG = dict(a.split("=", 1) for a in CONFIG_TEXT.split("\n") if a)  # settings that differ from GenLab's defaults

# ---- .safetensors: 8-byte little-endian header length, JSON header, raw little-endian data ----

_DTYPES = {"F32": (torch.float32, 4), "F16": (torch.float16, 2), "BF16": (torch.bfloat16, 2), "I64": (torch.int64, 8),
           "I8": (torch.int8, 1)}
_CRC_KEY = "genlab.crc32"


def read_safetensors(path):
    """Returns ({name: tensor}, {metadata key: value}); checks GenLab's checksum when present."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: too short for a safetensors file")
    (n,) = struct.unpack("<Q", data[:8])
    if n > len(data) - 8:
        raise ValueError(f"{path}: the header runs past the end of the file")
    header = json.loads(data[8 : 8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {}) or {}
    if any("genlab" in k for k in meta):
        at = data.find(b'"' + _CRC_KEY.encode() + b'":"', 8, 8 + n)
        if at < 0:
            raise ValueError(f"{path}: GenLab metadata without its checksum")
        at += len(_CRC_KEY) + 4
        crc = zlib.crc32(data[:at] + b"00000000" + data[at + 8 :])
        if f"{crc:08x}" != meta.get(_CRC_KEY):
            raise ValueError(f"{path}: checksum mismatch (the file is damaged)")
    body = memoryview(data)[8 + n :]
    tensors = {}
    for name, e in header.items():
        dtype, size = _DTYPES[e["dtype"]]
        a, b = e["data_offsets"]
        count = 1
        for d in e["shape"]:
            count *= d
        if b - a != count * size or b > len(body):
            raise ValueError(f"{path}: tensor {name} has bad data offsets")
        t = torch.frombuffer(bytearray(body[a:b]), dtype=dtype) if count else torch.zeros(0, dtype=dtype)
        tensors[name] = t.reshape(e["shape"]).clone()
    return tensors, meta


def write_safetensors(path, tensors, metadata):
    """Writes {name: tensor} (float32, or int64) in order; seals GenLab's checksum."""
    meta = dict(metadata)
    sealed = any("genlab" in k for k in meta)
    if sealed:
        meta[_CRC_KEY] = "00000000"
    header, blobs, offset = {"__metadata__": meta}, [], 0
    for name, t in tensors.items():
        t = t.detach().to("cpu").contiguous()
        if t.dtype not in (torch.float32, torch.int64):
            t = t.float()
        blob = t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": "F32" if t.dtype == torch.float32 else "I64", "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    data = bytearray(struct.pack("<Q", len(text)) + text + b"".join(blobs))
    if sealed:
        at = data.find(b'"' + _CRC_KEY.encode() + b'":"') + len(_CRC_KEY) + 4
        data[at : at + 8] = f"{zlib.crc32(bytes(data)):08x}".encode()
    with open(path, "wb") as f:
        f.write(data)


# ---- the networks ----

_ACTS = {"relu": lambda a: nn.ReLU(), "leaky_relu": lambda a: nn.LeakyReLU(a), "elu": lambda a: nn.ELU(a),
         "tanh": lambda a: nn.Tanh(), "sigmoid": lambda a: nn.Sigmoid(), "none": lambda a: nn.Identity()}


class Net(nn.Sequential):
    """One GenLab network from its spec: flat rows in, flat rows out."""

    def __init__(self, spec):
        layers, self_shapes = [], []
        for l in spec["layers"]:
            kind, shape = l["kind"], None
            if kind == "linear":
                m = nn.Linear(l["in"], l["out"])
            elif kind == "activation":
                m = _ACTS[l["act"]](l["alpha"])
            elif kind == "dropout":
                m = nn.Dropout(l["rate"])
            elif kind == "batch_norm":
                shape = l["shape"]
                m = nn.BatchNorm2d(shape[0], eps=1e-5, momentum=0.1)
            elif kind in ("conv2d", "conv_transpose2d"):
                shape, out = l["inShape"], l["outShape"]
                k, s, p = l["kernel"], l["stride"], l["padding"]
                if kind == "conv2d":
                    m = nn.Conv2d(shape[0], out[0], k, s, p)
                else:
                    extra = out[1] - ((shape[1] - 1) * s - 2 * p + k)  # GenLab states the output size
                    m = nn.ConvTranspose2d(shape[0], out[0], k, s, p, output_padding=extra)
            else:
                raise ValueError(f"unknown layer kind {kind}")
            layers.append(m)
            self_shapes.append(shape)
        super().__init__(*layers)
        self.shapes = self_shapes
        self.name = spec["name"]

    def forward(self, x, first=0, last=None):
        """Layers [first, last), all by default (a VAE-GAN's D: its features, then its score from them)."""
        for layer, shape in list(zip(self, self.shapes))[first:last]:
            x = x.reshape(x.shape[0], *shape) if shape is not None else x.reshape(x.shape[0], -1)
            x = layer(x)
        return x.reshape(x.shape[0], -1)


def _net(name):
    return Net(next(n for n in SPEC["nets"] if n["name"] == name))


def one_hot(y, n, classes):
    """Classes for n rows: None → row r gets r mod classes (every class in turn), as GenLab."""
    if y is None:
        y = torch.arange(n) % classes
    y = torch.as_tensor(y).reshape(-1)
    if y.numel() == 1 and n > 1:
        y = y.repeat(n)
    return F.one_hot(y.long(), classes).float()


class GenLabModel(nn.Module):
    def _with_class(self, a, y):
        c = SPEC["classes"]
        return a if c == 0 else torch.cat([a, one_hot(y, a.shape[0], c).to(a)], 1)

    def noise(self, n):
        w = SPEC["noise"]
        return torch.rand(n, w) * 2 - 1 if SPEC["noiseDist"] == "uniform" else torch.randn(n, w)


class VAE(GenLabModel):
    """x → encoder → (μ, log σ²) → z = μ + σ·ε → decoder → p(x|z)."""

    def __init__(self):
        super().__init__()
        self.enc, self.dec = _net("enc"), _net("dec")
        self.latent, self.dim = SPEC["noise"], SPEC["dataDim"]

    def encode(self, x, y=None):  # x (B, D) → μ, log σ² (B, L)
        h = self.enc(self._with_class(x, y))
        return h[:, : self.latent], h[:, self.latent :]

    def decoder_output(self, z, y=None):  # z (B, L) → logits, means, or means then log σ²
        return self.dec(self._with_class(z, y))

    def decode(self, z, y=None):  # z (B, L) → the mean of p(x|z) (B, D)
        out = self.decoder_output(z, y)
        return torch.sigmoid(out) if SPEC["head"] == "bernoulli" else out[:, : self.dim]

    def forward(self, x, y=None, beta=1.0, fixed_logvar=0.0):  # what DistributedDataParallel runs
        return self.loss(x, y, beta, fixed_logvar)

    def loss(self, x, y=None, beta=1.0, fixed_logvar=0.0):
        """−ELBO per example, nats: reconstruction + β·KL, with ε drawn here."""
        mu, logvar = self.encode(x, y)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        out = self.decoder_output(z, y)
        if SPEC["head"] == "bernoulli":
            recon = F.binary_cross_entropy_with_logits(out, x, reduction="sum") / x.shape[0]
        else:
            m = out[:, : self.dim]
            lv = out[:, self.dim :] if SPEC["head"] == "gaussian_learned" else torch.full_like(m, fixed_logvar)
            recon = 0.5 * (1.8378770664093453 + lv + (x - m) ** 2 * torch.exp(-lv)).sum() / x.shape[0]
        kl = 0.5 * (mu**2 + torch.exp(logvar) - 1 - logvar).sum() / x.shape[0]
        return recon + beta * kl, recon, kl

    @torch.no_grad()
    def sample(self, n, y=None):
        return self.decode(self.noise(n), y)


class GAN(GenLabModel):
    """z → G → x; D judges `pack` samples at a time (PacGAN); G_ema averages G's weights."""

    def __init__(self):
        super().__init__()
        self.G, self.D = _net("G"), _net("D")
        self.G_ema = _net("G") if SPEC["ema"] else None
        if self.G_ema is not None:
            self.G_ema.load_state_dict(self.G.state_dict())

    def generate(self, z, y=None, ema=True):  # z (B, noise) → x (B, D)
        g = self.G_ema if ema and self.G_ema is not None else self.G
        return g(self._with_class(z, y))

    def critic(self, x, y=None):  # x (B, D), B a multiple of pack → D's raw output (B/pack, 1)
        return self.D(self._with_class(x, y).reshape(x.shape[0] // SPEC["pack"], -1))

    def discriminate(self, x, y=None):  # x (B, D) → per point, judged as `pack` copies of itself
        a = self.D(self._with_class(x, y).repeat(1, SPEC["pack"]))
        return torch.sigmoid(a) if SPEC["head"] == "probability" else a

    @torch.no_grad()
    def sample(self, n, y=None):
        return self.generate(self.noise(n), y)

    @torch.no_grad()
    def update_ema(self, decay):
        """G_ema ← decay·G_ema + (1 − decay)·G, on G's trained tensors (its batch-norm statistics are G's)."""
        for e, w in zip(self.G_ema.parameters(), self.G.parameters()):
            e.add_((1 - decay) * (w - e))
        for e, w in zip(self.G_ema.buffers(), self.G.buffers()):
            e.copy_(w)


class VAEGAN(GenLabModel):
    """VAE-GAN (Larsen et al. 2016): a VAE whose decoder is also the generator against D, with the
    reconstruction measured in D's hidden layer `feature_layer` (its "features")."""

    def __init__(self):
        super().__init__()
        self.enc, self.dec, self.D = _net("enc"), _net("dec"), _net("D")
        self.latent = SPEC["noise"]
        d = next(n for n in SPEC["nets"] if n["name"] == "D")
        acts = [i for i, l in enumerate(d["layers"][:-1]) if l["kind"] == "activation"]
        self.feature_end = acts[int(CONFIG.get("feature_layer", "1")) - 1] + 1  # D's layers [0, n) give f

    def encode(self, x, y=None):  # x (B, D) → μ, log σ² (B, L)
        h = self.enc(x)
        return h[:, : self.latent], h[:, self.latent :]

    def decode(self, z, y=None):  # z (B, L) → x (B, D)
        return self.dec(z)

    def features(self, x):  # x (B, D) → f(x) (B, F)
        return self.D(x, 0, self.feature_end)

    def critic(self, x, y=None):  # x (B, D) → D's raw output (B, 1)
        return self.D(x)

    def discriminate(self, x, y=None):
        a = self.D(x)
        return torch.sigmoid(a) if SPEC["head"] == "probability" else a

    @torch.no_grad()
    def sample(self, n, y=None):
        return self.decode(self.noise(n))


def build():
    """This model's networks with PyTorch's initial weights (train them, or load GenLab's)."""
    return {"vae": VAE, "gan": GAN, "vaegan": VAEGAN}[SPEC["model"]]()


def genlab_tensors(model):
    """The tensors GenLab saves, by GenLab's PyTorch names: everything but batch-norm counters
    and G_ema's buffers (they are G's)."""
    out = {}
    for name, t in model.state_dict().items():
        if name.endswith("num_batches_tracked") or (name.startswith("G_ema.") and "running_" in name):
            continue
        out[name] = t
    return out


def expand(tensors, meta):
    """A compact checkpoint's tensors as plain ones: "genlab.quant": "int8-rows" stores a weight as
    int8 q with float32 scales "<name>.scale", one per row (value = q * scale[row]);
    "genlab.g_from_ema": "1" leaves out G's trained tensors, which are G_ema's."""
    quant = meta.get("genlab.quant")
    if quant is not None:
        if quant != "int8-rows":
            raise ValueError(f"unknown genlab.quant '{quant}'")
        for name in [k for k, t in tensors.items() if t.dtype == torch.int8]:
            scale = tensors.pop(name + ".scale")
            q = tensors[name]
            tensors[name] = q.float() * scale.float().reshape([-1] + [1] * (q.dim() - 1))
    if meta.get("genlab.g_from_ema") == "1":
        for k in [k for k in tensors if k.startswith("G_ema.")]:
            tensors.setdefault("G." + k[len("G_ema."):], tensors[k].clone())
    return tensors


def load(path):
    """The model with the weights of a GenLab .safetensors file (for this configuration)."""
    tensors, meta = read_safetensors(path)
    if meta.get("genlab.spec", SPEC_TEXT) != SPEC_TEXT:
        raise ValueError(f"{path} holds another model than this module describes")
    tensors = expand(tensors, meta)
    model = build()
    want = genlab_tensors(model)
    missing = [k for k in want if k not in tensors]
    extra = [k for k in tensors if k not in want and not k.endswith("num_batches_tracked")]
    if missing or extra:
        raise ValueError(f"{path}: missing {missing[:3]}, unexpected {extra[:3]}")
    with torch.no_grad():
        for k, t in want.items():
            t.copy_(tensors[k].to(t.dtype).reshape(t.shape))
        if isinstance(model, GAN) and model.G_ema is not None:
            for e, w in zip(model.G_ema.buffers(), model.G.buffers()):
                e.copy_(w)
    return model.eval()


def save(model, path, step=0):
    """Writes the model for GenLab to import (page: Load model; CLI: genlab-train --init)."""
    meta = {"genlab.format": "1", "genlab.version": "pytorch " + torch.__version__, "genlab.config": CONFIG_TEXT,
            "genlab.spec": SPEC_TEXT, "genlab.step": str(int(step))}
    write_safetensors(path, {k: v.float() for k, v in genlab_tensors(model).items()}, meta)


if __name__ == "__main__":
    import sys

    m = load(sys.argv[1]) if len(sys.argv) > 1 else build().eval()
    print(m)
    print("parameters:", sum(p.numel() for p in m.parameters() if p.requires_grad))
