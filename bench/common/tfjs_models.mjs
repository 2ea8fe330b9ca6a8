// The three workloads written the way a TensorFlow.js user would: tf.variable weights, the
// forward pass in tf ops, tf.train.adam().minimize() for forward + backward + update. `tf` is
// passed in (the node packages or the browser bundles). Pure ES module.
//
// Same networks as genlab (bench/workloads.json): Dense layers y = x·W + b with W (in, out),
// He-normal init for hidden layers, Xavier-uniform for the output layer, zero biases; Adam with
// β1 0.9, β2 0.999, ε 1e-8. VAE: Bernoulli likelihood from logits (BCE summed over pixels) + KL,
// both averaged over the batch, z = μ + ε·exp(½ log σ²) with ε from tf.randomNormal. GAN: the
// non-saturating loss; D's loss is the mean BCE on real plus the mean BCE on fake (as genlab).

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

// GAN; step(real: Float32Array (B·2)) → [1, D loss, G loss]: one D update, then one G update.
export function makeGan(tf, workload) {
  const { noise, g, d, out, g_act: gAct, d_act: dAct, alpha } = workload.net;
  const B = workload.batch;
  const G = net(tf, noise, g, out, gAct, alpha);
  const Dn = net(tf, out, d, 1, dAct, alpha);
  const gOpt = tf.train.adam(workload.lr, ...ADAM);
  const dOpt = tf.train.adam(workload.lr, ...ADAM);
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
