// Dense layers and MLPs in TF.js the way GenLab builds its MLPs (src/genlab/nn/net_spec.cpp), for
// every TF.js re-implementation in bench/ (tfjs_models.mjs, tfjs_vae_preset.mjs,
// tfjs_gan_preset.mjs). y = x·W + b with W (in, out). Inits: torch — W and b uniform ±1/√fan_in;
// xavier — W uniform ±√(6/(fan_in+fan_out)), b 0; he — W normal σ √(2/fan_in), b 0. The output
// layer is Xavier unless the init is torch's. Pure ES module; `tf` is passed in.

function dense(tf, fanIn, fanOut, init) {
  let W, b;
  if (init === 'torch') {
    const a = 1 / Math.sqrt(fanIn);
    W = tf.randomUniform([fanIn, fanOut], -a, a);
    b = tf.randomUniform([fanOut], -a, a);
  } else if (init === 'xavier') {
    const a = Math.sqrt(6 / (fanIn + fanOut));
    W = tf.randomUniform([fanIn, fanOut], -a, a);
    b = tf.zeros([fanOut]);
  } else {
    W = tf.randomNormal([fanIn, fanOut], 0, Math.sqrt(2 / fanIn));
    b = tf.zeros([fanOut]);
  }
  return { W: tf.variable(W), b: tf.variable(b) };
}

// dims: [in, hidden…, out]; `activate` after every hidden layer, nothing after the output.
// apply(x, params): the forward pass with the given [W0, b0, W1, b1, …] (default: its own
// variables; a GAN's moving average of G passes its copies).
export function mlp(tf, dims, init, activate = (h) => tf.relu(h)) {
  const last = dims.length - 2;
  const layers = dims.slice(1).map((w, i) => dense(tf, dims[i], w, i === last && init !== 'torch' ? 'xavier' : init));
  const vars = layers.flatMap((l) => [l.W, l.b]);
  return {
    vars,
    apply(x, params = vars) {
      let h = x;
      for (let i = 0; i < params.length; i += 2) {
        h = tf.add(tf.matMul(h, params[i]), params[i + 1]);
        if (i + 2 < params.length) h = activate(h);
      }
      return h;
    },
  };
}
