// A GenLab VAE preset written the way a TF.js user would write the same model, for the TF.js side
// of bench/time_to_quality.mjs (issue 18). Pure ES module; `tf` is passed in.
//
// What is re-created from the preset's settings (schema defaults filled in): an MLP encoder
// in → hidden… → 2·latent (μ then log σ² from one layer, as GenLab's graph splits it), an MLP
// decoder latent → hidden… → in giving Bernoulli logits, BCE summed over pixels + KL, both
// averaged over the batch, z = μ + ε·exp(½ log σ²); GenLab's inits (tfjs_mlp.mjs); Adam (β1, β2, ε 1e-8) or RMSprop with Keras semantics (ρ, ε 1e-7, as GenLab's). Any setting
// this file does not re-create (β ≠ 1, KL warm-up, binarised pixels, conditional or conv nets,
// clipping, weight decay, momentum…) is refused by name rather than silently ignored.

import { mlp } from './tfjs_mlp.mjs';

// setting → the values the TF.js side re-creates (anything else is refused).
const SUPPORTED = {
  model: ['vae'], net: ['mlp'], conditional: ['false'], act: ['relu'], likelihood: ['bernoulli'],
  binarize: ['false'], beta: ['1'], kl_warmup: ['0'], opt: ['adam', 'rmsprop'], init: ['torch', 'xavier', 'he'],
  momentum: ['0'], weight_decay: ['0'], clip_norm: ['0'],
};

// The preset's full settings: schema defaults (M.schema()) with the preset's own on top.
// Throws naming the first setting the TF.js side does not re-create.
export function presetConfig(schema, settings) {
  const cfg = withDefaults(schema, settings);
  refuseUnsupported(cfg, SUPPORTED);
  if (!/^(mnist|fashion)\d+$/.test(cfg.dataset)) throw new Error(`TF.js side: dataset '${cfg.dataset}' is not an image set`);
  return cfg;
}

export const withDefaults = (schema, settings) => ({ ...Object.fromEntries(schema.map((k) => [k.key, String(k.default)])), ...settings });

// Throws naming the first setting whose value is not among those `supported` lists.
export function refuseUnsupported(cfg, supported) {
  for (const [key, ok] of Object.entries(supported)) {
    if (key in cfg && !ok.includes(cfg[key])) throw new Error(`TF.js side: ${key}=${cfg[key]} is not re-created (only ${ok.join(', ')})`);
  }
}

export const widths = (s) => s.split(',').map(Number).filter((n) => n > 0);

// cfg: presetConfig's result; D: pixels per image. step(x: Float32Array B·D) trains one batch;
// negElbo(x: Float32Array n·D, n) → the mean −ELBO per image (one z per image, as GenLab's
// test −ELBO), evaluated in chunks of 500.
export function makePresetVae(tf, cfg, D) {
  const L = Number(cfg.latent), B = Number(cfg.batch), lr = Number(cfg.lr);
  const encoder = mlp(tf, [D, ...widths(cfg.enc_hidden), 2 * L], cfg.init);
  const decoder = mlp(tf, [L, ...widths(cfg.dec_hidden), D], cfg.init);
  const vars = [...encoder.vars, ...decoder.vars];
  const opt = cfg.opt === 'adam'
    ? tf.train.adam(lr, Number(cfg.beta1), Number(cfg.beta2), 1e-8)
    : tf.train.rmsprop(lr, Number(cfg.rho), 0, 1e-7);
  // Sum over the batch of (recon + KL): one forward, z drawn with fresh ε.
  const total = (x, n) => {
    const [mu, logvar] = tf.split(encoder.apply(x), 2, 1);
    const z = tf.add(mu, tf.mul(tf.randomNormal([n, L]), tf.exp(tf.mul(logvar, 0.5))));
    const recon = tf.losses.sigmoidCrossEntropy(x, decoder.apply(z), undefined, 0, tf.Reduction.SUM);
    const kl = tf.mul(tf.sum(tf.sub(tf.add(tf.square(mu), tf.exp(logvar)), tf.add(logvar, 1))), 0.5);
    return tf.add(recon, kl);
  };
  return {
    vars,
    step(xs) {
      return tf.tidy(() => {
        const x = tf.tensor2d(xs, [B, D]);
        return opt.minimize(() => tf.div(total(x, B), B), true, vars).dataSync()[0];
      });
    },
    negElbo(xs, n) {
      let sum = 0;
      for (let first = 0; first < n; first += 500) {
        const k = Math.min(500, n - first);
        sum += tf.tidy(() => total(tf.tensor2d(xs.subarray(first * D, (first + k) * D), [k, D]), k).dataSync()[0]);
      }
      return sum / n;
    },
  };
}
