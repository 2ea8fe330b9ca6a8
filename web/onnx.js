// ONNX export (issue 17): a GenLab model's networks as ONNX graphs (IR 8, opset 17), written here
// from the architecture spec and the weights of a .safetensors export — no protobuf library: the
// few messages ONNX needs are encoded by hand below (field numbers from onnx.proto).
//   VAE: encoder.onnx  x (N, D) [, y (N, C) one-hot] → mu, logvar (N, L)
//        decoder.onnx  z (N, L) [, y]               → x_mean (N, D) [, x_logvar]
//   GAN: generator.onnx z (N, noise) [, y]         → x (N, D)   (G's moving average when kept)
//        discriminator.onnx x (N, D) [, y], N a multiple of pack → score (N/pack, 1), D's raw
//        output for each `pack` consecutive rows judged together (a logit for the sigmoid losses)
// Used by the page's export (downloads.js, loaded on demand) and by tests under node. Errors carry
// a catalog key as their message and its parameters (`params`): the page translates them.

const fail = (key, params) => Object.assign(new Error(key), { key, params });

// ---- protobuf wire format: varints, length-delimited fields, fixed32 floats ----

class Proto {
  constructor() { this.parts = []; this.size = 0; }
  push(bytes) { this.parts.push(bytes); this.size += bytes.length; return this; }
  varint(v) {
    const out = [];
    let n = BigInt.asUintN(64, BigInt(v));   // negative int64 as two's complement, as protobuf does
    do {
      let b = Number(n & 0x7fn);
      n >>= 7n;
      if (n) b |= 0x80;
      out.push(b);
    } while (n);
    return this.push(Uint8Array.from(out));
  }
  key(field, wire) { return this.varint((field << 3) | wire); }
  int(field, v) { return this.key(field, 0).varint(v); }
  bytes(field, b) { return this.key(field, 2).varint(b.length).push(b); }
  string(field, s) { return this.bytes(field, new TextEncoder().encode(s)); }
  msg(field, p) { return this.bytes(field, p.finish()); }
  float(field, f) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, f, true);
    return this.key(field, 5).push(b);
  }
  finish() {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) { out.set(p, at); at += p.length; }
    return out;
  }
}

const FLOAT = 1;
const INT64 = 7;

// TensorProto: dims 1, data_type 2, name 8, raw_data 9.
function tensorProto(name, dims, type, raw) {
  const p = new Proto();
  for (const d of dims) p.int(1, d);
  return p.int(2, type).string(8, name).bytes(9, raw);
}

const floatTensor = (name, dims, data) =>
  tensorProto(name, dims, FLOAT, new Uint8Array(Float32Array.from(data).buffer));
const intTensor = (name, values) =>
  tensorProto(name, [values.length], INT64, new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer));

// AttributeProto: name 1, f 2, i 3, ints 8, type 20 (FLOAT 1, INT 2, INTS 7).
function attr(name, value) {
  const p = new Proto().string(1, name);
  if (Array.isArray(value)) {
    for (const v of value) p.int(8, v);
    return p.int(20, 7);
  }
  return Number.isInteger(value.int) ? p.int(3, value.int).int(20, 2) : p.float(2, value.float).int(20, 1);
}

// ValueInfoProto (name 1, type 2) of a float tensor (N, ...dims): TypeProto.tensor_type 1 →
// elem_type 1, shape 2 → dim 1 → dim_value 1 | dim_param 2.
function valueInfo(name, width) {
  const shape = new Proto()
    .msg(1, new Proto().string(2, 'N'))
    .msg(1, new Proto().int(1, width));
  const tensor = new Proto().int(1, FLOAT).msg(2, shape);
  return new Proto().string(1, name).msg(2, new Proto().msg(1, tensor));
}

// ---- graphs ----

class Graph {
  constructor() { this.nodes = []; this.inits = []; this.count = 0; }
  fresh(hint) { this.count += 1; return `${hint}_${this.count}`; }
  // NodeProto: input 1, output 2, name 3, op_type 4, attribute 5.
  node(op, inputs, outputs, attrs = {}) {
    const p = new Proto();
    for (const i of inputs) p.string(1, i);
    for (const o of outputs) p.string(2, o);
    p.string(3, this.fresh(op)).string(4, op);
    for (const [k, v] of Object.entries(attrs)) p.msg(5, attr(k, v));
    this.nodes.push(p);
    return outputs[0];
  }
  weight(name, dims, data) { this.inits.push(floatTensor(name, dims, data)); return name; }
  ints(name, values) { this.inits.push(intTensor(name, values)); return name; }
  reshape(x, dims) { return this.node('Reshape', [x, this.ints(this.fresh('shape'), [-1, ...dims])], [this.fresh('r')]); }
}

const ACT = { relu: 'Relu', leaky_relu: 'LeakyRelu', elu: 'Elu', tanh: 'Tanh', sigmoid: 'Sigmoid' };

// One network of the spec: flat rows in, flat rows out; `weights(name)` gives a tensor by its
// PyTorch name (the spec's layer index), `prefix` the network's name in the file (G or G_ema).
function addNet(g, net, x, weights, prefix) {
  net.layers.forEach((l, i) => {
    const w = (part) => {
      // G's moving average keeps G's batch-norm statistics (the export holds them once, as G's).
      const owner = part.startsWith('running_') && prefix.endsWith('_ema') ? prefix.slice(0, -4) : prefix;
      const t = weights(`${owner}.${i}.${part}`);
      return g.weight(`${owner}.${i}.${part}`, t.shape, t.data);
    };
    if (l.kind === 'linear') {
      x = g.node('Gemm', [g.reshape(x, [l.in]), w('weight'), w('bias')], [g.fresh('linear')], { transB: { int: 1 } });
    } else if (l.kind === 'activation') {
      if (l.act === 'none') return;
      const attrs = l.act === 'leaky_relu' || l.act === 'elu' ? { alpha: { float: l.alpha } } : {};
      x = g.node(ACT[l.act], [x], [g.fresh(l.act)], attrs);
    } else if (l.kind === 'dropout') {
      // Inference: every unit, unscaled (GenLab's dropout is inverted: it scales while training).
    } else if (l.kind === 'batch_norm') {
      x = g.node('BatchNormalization', [g.reshape(x, l.shape), w('weight'), w('bias'), w('running_mean'), w('running_var')],
        [g.fresh('bn')], { epsilon: { float: 1e-5 } });
    } else if (l.kind === 'conv2d' || l.kind === 'conv_transpose2d') {
      const [k, s, p] = [l.kernel, l.stride, l.padding];
      const attrs = { kernel_shape: [k, k], strides: [s, s], pads: [p, p, p, p] };
      if (l.kind === 'conv_transpose2d') {
        const extra = l.outShape[1] - ((l.inShape[1] - 1) * s - 2 * p + k);
        if (extra) attrs.output_padding = [extra, extra];
      }
      x = g.node(l.kind === 'conv2d' ? 'Conv' : 'ConvTranspose', [g.reshape(x, l.inShape), w('weight'), w('bias')],
        [g.fresh('conv')], attrs);
    } else {
      throw fail('files.onnx_layer', { kind: l.kind });
    }
  });
  return g.reshape(x, [net.out]);
}

// ModelProto: ir_version 1, producer_name 2, producer_version 3, graph 7, opset_import 8.
// GraphProto: node 1, name 2, initializer 5, input 11, output 12.
function modelBytes(g, name, inputs, outputs, version) {
  const graph = new Proto();
  for (const n of g.nodes) graph.msg(1, n);
  graph.string(2, name);
  for (const t of g.inits) graph.msg(5, t);
  for (const [n, w] of inputs) graph.msg(11, valueInfo(n, w));
  for (const [n, w] of outputs) graph.msg(12, valueInfo(n, w));
  return new Proto().int(1, 8).string(2, 'GenLab').string(3, version).msg(7, graph)
    .msg(8, new Proto().string(1, '').int(2, 17)).finish();
}

// The input of a network: x, or [x | y] when the model is conditional.
function withClass(g, spec, x) {
  return spec.classes > 0 ? g.node('Concat', [x, 'y'], [g.fresh('xy')], { axis: { int: 1 } }) : x;
}

// The ONNX files of a model: [{name, bytes}]. spec: the architecture spec (genlab.spec, parsed);
// weights(name) → {shape, data} for every tensor of the .safetensors export.
export function onnxFiles(spec, weights, version = '') {
  const net = (n) => spec.nets.find((x) => x.name === n);
  const C = spec.classes;
  const classIn = C > 0 ? [['y', C]] : [];
  const files = [];
  if (spec.model === 'vae') {
    const L = spec.noise;
    const D = spec.dataDim;
    let g = new Graph();
    const h = addNet(g, net('enc'), withClass(g, spec, 'x'), weights, 'enc');
    g.node('Split', [h, g.ints('split_mu_logvar', [L, L])], ['mu', 'logvar'], { axis: { int: 1 } });
    files.push({ name: 'encoder.onnx', bytes: modelBytes(g, 'encoder', [['x', D], ...classIn], [['mu', L], ['logvar', L]], version) });
    g = new Graph();
    const out = addNet(g, net('dec'), withClass(g, spec, 'z'), weights, 'dec');
    const outputs = [['x_mean', D]];
    if (spec.head === 'bernoulli') g.node('Sigmoid', [out], ['x_mean']);
    else if (spec.head === 'gaussian') g.node('Identity', [out], ['x_mean']);
    else {
      g.node('Split', [out, g.ints('split_mean_logvar', [D, D])], ['x_mean', 'x_logvar'], { axis: { int: 1 } });
      outputs.push(['x_logvar', D]);
    }
    files.push({ name: 'decoder.onnx', bytes: modelBytes(g, 'decoder', [['z', L], ...classIn], outputs, version) });
  } else if (spec.model === 'gan') {
    const D = spec.dataDim;
    let g = new Graph();
    const x = addNet(g, net('G'), withClass(g, spec, 'z'), weights, spec.ema ? 'G_ema' : 'G');
    g.node('Identity', [x], ['x']);
    files.push({ name: 'generator.onnx', bytes: modelBytes(g, 'generator', [['z', spec.noise], ...classIn], [['x', D]], version) });
    g = new Graph();
    const packed = g.reshape(withClass(g, spec, 'x'), [spec.pack * (D + C)]);
    g.node('Identity', [addNet(g, net('D'), packed, weights, 'D')], ['score']);
    files.push({ name: 'discriminator.onnx', bytes: modelBytes(g, 'discriminator', [['x', D], ...classIn], [['score', 1]], version) });
  } else if (spec.model === 'vaegan') {
    // The VAE's encoder; the decoder, which is also the generator (its last layer is the sigmoid on
    // images); the discriminator, one sample per row.
    const L = spec.noise;
    const D = spec.dataDim;
    let g = new Graph();
    const h = addNet(g, net('enc'), 'x', weights, 'enc');
    g.node('Split', [h, g.ints('split_mu_logvar', [L, L])], ['mu', 'logvar'], { axis: { int: 1 } });
    files.push({ name: 'encoder.onnx', bytes: modelBytes(g, 'encoder', [['x', D]], [['mu', L], ['logvar', L]], version) });
    g = new Graph();
    g.node('Identity', [addNet(g, net('dec'), 'z', weights, 'dec')], ['x']);
    files.push({ name: 'decoder.onnx', bytes: modelBytes(g, 'decoder', [['z', L]], [['x', D]], version) });
    g = new Graph();
    g.node('Identity', [addNet(g, net('D'), 'x', weights, 'D')], ['score']);
    files.push({ name: 'discriminator.onnx', bytes: modelBytes(g, 'discriminator', [['x', D]], [['score', 1]], version) });
  } else {
    throw fail('files.onnx_model', { model: spec.model });
  }
  return files;
}

// The tensors of a .safetensors file GenLab exported (F32): name → {shape, data: Float32Array}.
export function readSafetensors(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  const base = bytes.byteOffset + 8 + n;
  const tensors = new Map();
  for (const [name, e] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    if (e.dtype !== 'F32') throw fail('files.onnx_dtype', { name, dtype: e.dtype });
    const [a, b] = e.data_offsets;
    const data = new Float32Array(bytes.buffer.slice(base + a, base + b));
    tensors.set(name, { shape: e.shape, data });
  }
  return { metadata: header.__metadata__ ?? {}, tensors };
}
