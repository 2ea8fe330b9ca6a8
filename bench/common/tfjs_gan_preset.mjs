// A GenLab 2-D GAN preset (ring8-gan, grid25-gan) written the way a TF.js user would write the
// same model, for the TF.js side of bench/time_to_quality.mjs (issue 18). Pure ES module.
//
// Re-created as GenLab trains it (src/genlab/models/gan.cpp): G noise → hidden… (ReLU) → 2, D
// (2·pack) → hidden… (leaky ReLU) → 1 logit, He init with Xavier output layers, biases 0;
// PacGAN packing (pack consecutive samples side by side: a row-major reshape); the
// non-saturating loss (D: mean BCE on real + mean BCE on fake; G: mean BCE of D(G(z)) against 1);
// k_d D steps then one G step per iteration; Adam (β1, β2, ε 1e-8); the batch ramp (batch_start
// doubling every batch_every G steps up to batch, both rates scaled by √(batch_start / batch
// now)); G's moving average with decay min(g_ema, (1 + t)/(g_ema_warmup + t)), t = G steps,
// which the metrics sample. Mode metrics as GenLab's (src/genlab/metrics/modes.hpp): 2,500
// samples, each assigned to its nearest mode, high quality within 3σ (inclusive).
import { refuseUnsupported, widths, withDefaults } from './tfjs_vae_preset.mjs';
import { mlp } from './tfjs_mlp.mjs';
import { makeRng, normal } from './data.mjs';

const SUPPORTED = {
  model: ['gan'], dataset: ['ring8', 'grid25'], conditional: ['false'], noise_dist: ['gaussian'], g_act: ['relu'],
  d_act: ['leaky_relu'], g_out: ['auto', 'none'], loss: ['nonsaturating'], k_g: ['1'], label_smooth: ['0'],
  d_dropout: ['0'], g_opt: ['adam'], d_opt: ['adam'], init: ['he'], weight_decay: ['0'], clip_norm: ['0'],
};

// The mixtures (src/genlab/data/toy2d.hpp): means and per-axis σ.
export const MIXTURES = {
  ring8: { means: Array.from({ length: 8 }, (_, i) => [Math.cos((2 * Math.PI * i) / 8), Math.sin((2 * Math.PI * i) / 8)]), sigma: 0.01 },
  grid25: { means: Array.from({ length: 25 }, (_, i) => [2 * (i % 5) - 4, 2 * Math.floor(i / 5) - 4]), sigma: 0.05 },
};

export function ganConfig(schema, settings) {
  const cfg = withDefaults(schema, settings);
  refuseUnsupported(cfg, SUPPORTED);
  return cfg;
}

// Real batches of a mixture: a mode uniformly at random, plus isotropic Gaussian noise.
export function mixtureBatches(name, seed = 1) {
  const { means, sigma } = MIXTURES[name];
  const rand = makeRng(seed);
  return (B) => {
    const out = new Float32Array(2 * B);
    for (let b = 0; b < B; b++) {
      const [mx, my] = means[Math.floor(rand() * means.length)];
      out[2 * b] = mx + sigma * normal(rand);
      out[2 * b + 1] = my + sigma * normal(rand);
    }
    return out;
  };
}

// samples: Float32Array (n·2). {modes, hq, modes_total} as GenLab's mode_stats.
export function modeStats(samples, { means, sigma }) {
  const n = samples.length / 2, r2 = 9 * sigma * sigma;
  const hqPerMode = new Array(means.length).fill(0);
  let hq = 0;
  for (let i = 0; i < n; i++) {
    const x = samples[2 * i], y = samples[2 * i + 1];
    let best = -1, bestD = Infinity;
    means.forEach(([mx, my], k) => {
      const d = (x - mx) ** 2 + (y - my) ** 2;
      if (d < bestD) { bestD = d; best = k; }   // ties go to the lower index; NaN never wins
    });
    if (best >= 0 && bestD <= r2) { hq++; hqPerMode[best]++; }
  }
  return { modes: hqPerMode.filter((c) => c > 0).length, modes_total: means.length, hq: hq / n };
}

// The batch after t G steps: batch_start doubling every batch_every steps up to batch (GenLab's
// Gan::batch_now), or batch when there is no ramp.
export function rampBatch(cfg, t) {
  const batch = Number(cfg.batch), start = Number(cfg.batch_start), every = Number(cfg.batch_every);
  if (!(start > 0 && start < batch)) return batch;
  return Math.min(batch, start * 2 ** Math.min(Math.floor(t / every), 12));
}

// The moving average's decay after t G steps (GenLab's Gan::update_ema).
export function emaDecayAt(cfg, t) {
  const d = Number(cfg.g_ema), warmup = Number(cfg.g_ema_warmup);
  return warmup > 0 ? Math.min(d, (1 + t) / (warmup + t)) : d;
}

export function makePresetGan(tf, cfg) {
  const noise = Number(cfg.noise), pack = Number(cfg.pack), kD = Number(cfg.k_d), alpha = Number(cfg.leaky_alpha);
  const start = Number(cfg.batch_start);
  const ramping = start > 0 && start < Number(cfg.batch);
  const G = mlp(tf, [noise, ...widths(cfg.g_hidden), 2], cfg.init);
  const D = mlp(tf, [2 * pack, ...widths(cfg.d_hidden), 1], cfg.init, (h) => tf.leakyRelu(h, alpha));
  const gLr = Number(cfg.g_lr), dLr = Number(cfg.d_lr);
  const b1 = Number(cfg.beta1), b2 = Number(cfg.beta2);
  const gOpt = tf.train.adam(gLr, b1, b2, 1e-8);
  const dOpt = tf.train.adam(dLr, b1, b2, 1e-8);
  const ema = Number(cfg.g_ema) > 0 ? G.vars.map((v) => tf.variable(v.clone(), false)) : null;
  const real = mixtureBatches(cfg.dataset, Number(cfg.seed));
  let gSteps = 0;
  const bce = (logits, label) => tf.losses.sigmoidCrossEntropy(label ? tf.onesLike(logits) : tf.zerosLike(logits), logits);
  const packed = (x, B) => tf.reshape(x, [B / pack, 2 * pack]);
  return {
    step() {
      const B = rampBatch(cfg, gSteps);
      if (ramping) {
        const scale = Math.sqrt(start / B);
        gOpt.learningRate = gLr * scale;
        dOpt.learningRate = dLr * scale;
      }
      tf.tidy(() => {
        for (let k = 0; k < kD; k++) {
          const x = tf.tensor2d(real(B), [B, 2]);
          const fake = G.apply(tf.randomNormal([B, noise]));
          dOpt.minimize(() => tf.add(bce(D.apply(packed(x, B)), true), bce(D.apply(packed(fake, B)), false)), false, D.vars);
        }
        gOpt.minimize(() => bce(D.apply(packed(G.apply(tf.randomNormal([B, noise])), B)), true), false, G.vars);
      });
      gSteps++;
      if (ema) {
        const decay = emaDecayAt(cfg, gSteps);
        tf.tidy(() => ema.forEach((e, i) => e.assign(tf.add(e, tf.mul(tf.sub(G.vars[i], e), 1 - decay)))));
      }
      return B;
    },
    // 2,500 samples of G (its moving average when there is one) → mode metrics.
    metrics() {
      const s = tf.tidy(() => G.apply(tf.randomNormal([2500, noise]), ema ?? G.vars).dataSync());
      return modeStats(s, MIXTURES[cfg.dataset]);
    },
    G: G.vars, D: D.vars, ema,
  };
}
