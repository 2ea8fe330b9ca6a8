// The workloads written the way a TensorFlow.js user would: tf.variable weights, the
// forward pass in tf ops, tf.train.adam().minimize() for forward + backward + update. `tf` is
// passed in (the node packages or the browser bundles). Pure ES module.
//
// Same networks as genlab (bench/workloads.json): Dense layers y = x·W + b with W (in, out),
// He-normal init for hidden layers, Xavier-uniform for the output layer, zero biases; Adam with
// β1 0.9 (a workload's `beta1` if it has one), β2 0.999, ε 1e-8. VAE: Bernoulli likelihood from logits (BCE summed over pixels) + KL,
// both averaged over the batch, z = μ + ε·exp(½ log σ²) with ε from tf.randomNormal. GAN: the
// non-saturating loss; D's loss is the mean BCE on real plus the mean BCE on fake (as genlab).
// dcgan-lite (net.conv) differs: the conv G and D of bench/workloads.json in NHWC, every weight
// N(0, 0.02²), biases 0, Adam β1 0.5; 'same' padding with kernel 4 and stride 2 pads 1 on each side, as PyTorch's p1.

import { mlp } from './tfjs_mlp.mjs';

const ADAM = [0.9, 0.999, 1e-8];

// An MLP: in → hidden… → out (He hidden layers, a Xavier output layer, zero biases), `act` after
// every hidden layer, none after the output.
const net = (tf, inDim, hidden, outDim, act, alpha) =>
  mlp(tf, [inDim, ...hidden, outDim], 'he', act === 'leaky_relu' ? (h) => tf.leakyRelu(h, alpha) : (h) => tf.relu(h));

const bceMean = (tf, logits, target) => tf.losses.sigmoidCrossEntropy(target, logits);

// VAE; step(x: Float32Array (B·in)) → [1, loss, 0]
export function makeVae(tf, workload) {
  const { in: D, enc, latent: L, dec, act } = workload.net;
  const B = workload.batch;
  const encoder = net(tf, D, enc, 2 * L, act);
  const decoder = net(tf, L, dec, D, act);
  const vars = [...encoder.vars, ...decoder.vars];
  const opt = tf.train.adam(workload.lr, ...ADAM);
  const objective = (x) => () => {
    const [mu, logvar] = tf.split(encoder.apply(x), 2, 1);
    const z = tf.add(mu, tf.mul(tf.randomNormal([B, L]), tf.exp(tf.mul(logvar, 0.5))));
    const logits = decoder.apply(z);
    const recon = tf.div(tf.losses.sigmoidCrossEntropy(x, logits, undefined, 0, tf.Reduction.SUM), B);
    const kl = tf.mul(tf.sum(tf.sub(tf.add(tf.square(mu), tf.exp(logvar)), tf.add(logvar, 1))), 0.5 / B);
    return tf.add(recon, kl);
  };
  return {
    vars,
    step(xs) {
      return tf.tidy(() => {
        const x = tf.tensor2d(xs, [B, D]);
        const loss = opt.minimize(objective(x), true, vars);
        return [1, loss.dataSync()[0], 0];
      });
    },
  };
}

// One layer's [weight N(0, 0.02²), bias 0] for `n` outputs: by default the weight's last axis
// (dense [in, out], conv filter [kh, kw, in, out]); a transposed convolution's filter is
// [kh, kw, out, in], so it passes n = out.
const layer = (tf, shape, n = shape[shape.length - 1]) =>
  [tf.variable(tf.randomNormal(shape, 0, 0.02)), tf.variable(tf.zeros([n]))];

// G: z → dense c0·q·q ReLU → convT c1 ReLU → convT 1 sigmoid, flattened to (B, side²).
function convG(tf, { noise, g: [c0, c1], side }) {
  const q = side / 4;
  const vars = [...layer(tf, [noise, c0 * q * q]), ...layer(tf, [4, 4, c1, c0], c1), ...layer(tf, [4, 4, 1, c1], 1)];
  const [W0, b0, K1, b1, K2, b2] = vars;
  return {
    vars,
    apply(z) {
      const B = z.shape[0];
      let h = tf.reshape(tf.relu(tf.add(tf.matMul(z, W0), b0)), [B, q, q, c0]);
      h = tf.relu(tf.add(tf.conv2dTranspose(h, K1, [B, 2 * q, 2 * q, c1], 2, 'same'), b1));
      h = tf.sigmoid(tf.add(tf.conv2dTranspose(h, K2, [B, side, side, 1], 2, 'same'), b2));
      return tf.reshape(h, [B, side * side]);
    },
  };
}

// D: image (B, side²) → conv c0 LeakyReLU → conv c1 LeakyReLU → dense 1.
function convD(tf, { d: [c0, c1], side, alpha }) {
  const q = side / 4;
  const vars = [...layer(tf, [4, 4, 1, c0]), ...layer(tf, [4, 4, c0, c1]), ...layer(tf, [c1 * q * q, 1])];
  const [K0, b0, K1, b1, W2, b2] = vars;
  return {
    vars,
    apply(x) {
      const B = x.shape[0];
      let h = tf.reshape(x, [B, side, side, 1]);
      h = tf.leakyRelu(tf.add(tf.conv2d(h, K0, 2, 'same'), b0), alpha);
      h = tf.leakyRelu(tf.add(tf.conv2d(h, K1, 2, 'same'), b1), alpha);
      return tf.add(tf.matMul(tf.reshape(h, [B, c1 * q * q]), W2), b2);
    },
  };
}

// GAN; step(real: Float32Array (B·2)) → [1, D loss, G loss]: one D update, then one G update.
export function makeGan(tf, workload) {
  const { noise, g, d, out, g_act: gAct, d_act: dAct, alpha } = workload.net;
  const B = workload.batch;
  const conv = workload.net.conv;
  const G = conv ? convG(tf, workload.net) : net(tf, noise, g, out, gAct, alpha);
  const Dn = conv ? convD(tf, workload.net) : net(tf, out, d, 1, dAct, alpha);
  const adam = [workload.beta1 ?? ADAM[0], ...ADAM.slice(1)];
  const gOpt = tf.train.adam(workload.lr, ...adam);
  const dOpt = tf.train.adam(workload.lr, ...adam);
  const dObjective = (real) => () => {
    const fake = G.apply(tf.randomNormal([B, noise]));
    const ar = Dn.apply(real);
    const af = Dn.apply(fake);
    return tf.add(bceMean(tf, ar, tf.onesLike(ar)), bceMean(tf, af, tf.zerosLike(af)));
  };
  const gObjective = () => {
    const a = Dn.apply(G.apply(tf.randomNormal([B, noise])));
    return bceMean(tf, a, tf.onesLike(a));
  };
  return {
    vars: [...G.vars, ...Dn.vars],
    nets: { G, D: Dn },
    step(xs) {
      return tf.tidy(() => {
        const real = tf.tensor2d(xs, [B, out]);
        const dl = dOpt.minimize(dObjective(real), true, Dn.vars);
        const gl = gOpt.minimize(gObjective, true, G.vars);
        return [1, dl.dataSync()[0], gl.dataSync()[0]];
      });
    },
  };
}

export function makeModel(tf, workload) {
  return workload.kind === 'gan' ? makeGan(tf, workload) : makeVae(tf, workload);
}
