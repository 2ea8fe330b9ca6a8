// The settings form, built from the module's schema(): one labelled control per key, grouped
// (general / VAE / GAN / optimizer), with help text, an error slot next to each control and
// data-hide hooks for `<key>_hide`. Reports changes; knows nothing about the worker.

export const LABELS = {
  model: 'Model', dataset: 'Dataset', seed: 'Seed', batch: 'Batch size', init: 'Initialisation',
  leaky_alpha: 'Leaky slope α', latent: 'Latent size', enc_hidden: 'Encoder layers', dec_hidden: 'Decoder layers',
  act: 'Activation', beta: 'β (KL weight)', kl_warmup: 'KL warm-up steps', likelihood: 'Likelihood',
  binarize: 'Binarise images', gauss_var: 'Decoder variance', gauss_logvar: 'Fixed log σ²', opt: 'Optimizer',
  lr: 'Learning rate', noise: 'Noise size', noise_dist: 'Noise distribution', g_hidden: 'Generator layers',
  d_hidden: 'Discriminator layers', g_act: 'G activation', d_act: 'D activation', g_out: 'G output',
  loss: 'Loss', k_d: 'D steps per iteration', k_g: 'G steps per iteration', label_smooth: 'Label smoothing',
  pack: 'Packing (PacGAN)', wgan_clip: 'WGAN clip', g_opt: 'G optimizer', d_opt: 'D optimizer',
  g_lr: 'G learning rate', d_lr: 'D learning rate', g_ema: 'G weight averaging (EMA)', d_dropout: 'D dropout', beta1: 'Adam β₁', beta2: 'Adam β₂', momentum: 'Momentum',
  rho: 'RMSprop ρ', weight_decay: 'Weight decay', clip_norm: 'Gradient clip norm',
};

// fields: schema() entries. place(field) → the element to append the control to.
// onChange(key, text) fires when the user commits a value (change event). choiceLabels: display
// names of enum values by key (the model kinds' and data sets' titles, from the core's tables).
export function buildControls(fields, place, onChange, choiceLabels = {}) {
  const inputs = new Map();
  const errors = new Map();

  for (const f of fields) {
    const wrap = document.createElement('div');
    wrap.className = `field field-${f.type}`;
    wrap.dataset.hide = f.key;
    wrap.dataset.key = f.key;
    const id = `set-${f.key}`;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = LABELS[f.key] ?? f.key;
    let input;
    if (f.type === 'enum') {
      input = document.createElement('select');
      for (const c of f.choices) {
        const o = document.createElement('option');
        o.value = c;
        o.textContent = choiceLabels[f.key]?.[c] ?? c;
        input.append(o);
      }
    } else if (f.type === 'bool') {
      input = document.createElement('input');
      input.type = 'checkbox';
    } else {
      input = document.createElement('input');
      if (f.type === 'intlist') {
        input.type = 'text';
        input.inputMode = 'numeric';
        input.spellcheck = false;
        input.placeholder = 'e.g. 128,128 or none';
      } else {
        input.type = 'number';
        input.min = String(f.min);
        input.max = String(f.max);
        input.step = f.type === 'int' ? '1' : 'any';
        input.inputMode = f.type === 'int' ? 'numeric' : 'decimal';
      }
    }
    input.id = id;
    input.name = f.key;
    const help = document.createElement('small');
    help.className = 'help';
    help.id = `help-${f.key}`;
    help.textContent = rangeText(f) ? `${f.help} · ${rangeText(f)}` : f.help;
    const err = document.createElement('p');
    err.className = 'field-error';
    err.id = `err-${f.key}`;
    err.hidden = true;
    input.setAttribute('aria-describedby', `${help.id} ${err.id}`);
    input.addEventListener('change', () => onChange(f.key, valueOf(f, input)));
    if (f.type === 'bool') wrap.append(input, label, help, err);
    else wrap.append(label, input, help, err);
    place(f).append(wrap);
    inputs.set(f.key, { field: f, input, wrap });
    errors.set(f.key, err);
  }

  function setValues(config) {
    for (const [k, { field, input }] of inputs) {
      if (!(k in config)) continue;
      const v = String(config[k]);
      if (field.type === 'bool') input.checked = v === 'true' || v === '1';
      else input.value = v;
    }
  }

  function setError(key, message) {
    const err = errors.get(key);
    if (!err) return false;
    err.textContent = message;
    err.hidden = false;
    err.setAttribute('role', 'alert');
    inputs.get(key).input.setAttribute('aria-invalid', 'true');
    return true;
  }

  function clearErrors() {
    for (const [k, err] of errors) {
      err.hidden = true;
      err.textContent = '';
      err.removeAttribute('role');
      inputs.get(k).input.removeAttribute('aria-invalid');
    }
  }

  return { inputs, setValues, setError, clearErrors, input: (k) => inputs.get(k)?.input ?? null };
}

function valueOf(f, input) {
  if (f.type === 'bool') return input.checked ? 'true' : 'false';
  return input.value.trim();
}

function fmtBound(v) {
  return Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(0) : String(v);
}

function rangeText(f) {
  if (f.type === 'int' || f.type === 'float') return `${fmtBound(f.min)} – ${fmtBound(f.max)}`;
  if (f.type === 'intlist') return 'widths, comma-separated';
  return '';
}
