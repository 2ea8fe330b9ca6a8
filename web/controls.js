// The settings form, built from the module's schema(): one labelled control per key, grouped
// (general / VAE / GAN / optimizer), with help text, an error slot next to each control and
// data-hide hooks for `<key>_hide`. Reports changes; knows nothing about the worker. Every word
// comes from the catalog (setting.<key>, setting.<key>.help, choice.<key>.<value>).
import { setText, t } from './i18n.js';
import { applies } from './relevance.js';

// A setting's name for people: its catalog key (setting.<key>).
export const settingLabel = (key) => t(`setting.${key}`);

// fields: schema() entries. place(field) → the element to append the control to.
// onChange(key, text) fires when the user commits a value (change event). The model kinds' and
// data sets' names are the catalog's model.<name> / dataset.<name>.
export function buildControls(fields, place, onChange) {
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
    setText(label, `setting.${f.key}`);
    let input;
    if (f.type === 'enum') {
      input = document.createElement('select');
      for (const c of f.choices) {
        const o = document.createElement('option');
        o.value = c;
        setText(o, choiceKey(f.key, c));
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
        input.placeholder = t('form.intlist_placeholder');
        input.dataset.i18nAttr = 'placeholder:form.intlist_placeholder';
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
    help.append(setText(document.createElement('span'), `setting.${f.key}.help`));
    const range = rangeNode(f);
    if (range) help.append(' · ', range);
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

  // Hides the settings that do nothing with `config` on data of `dataKind` (schema `when`).
  function setRelevance(config, dataKind) {
    for (const { field, wrap } of inputs.values()) wrap.classList.toggle('not-applicable', !applies(field, config, dataKind));
  }

  return { inputs, setValues, setError, clearErrors, setRelevance, input: (k) => inputs.get(k)?.input ?? null };
}

function valueOf(f, input) {
  if (f.type === 'bool') return input.checked ? 'true' : 'false';
  return input.value.trim();
}

function fmtBound(v) {
  return Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(0) : String(v);
}

// The allowed values under a setting: numbers as they are, words from the catalog.
function rangeNode(f) {
  const span = document.createElement('span');
  if (f.type === 'int' || f.type === 'float') span.textContent = `${fmtBound(f.min)} – ${fmtBound(f.max)}`;
  else if (f.type === 'intlist') setText(span, 'form.widths');
  else return null;
  return span;
}

// The catalog key of an enum value's name: the model kinds' and data sets' own tables, else
// choice.<key>.<value>.
export function choiceKey(key, value) {
  if (key === 'model') return `model.${value}`;
  if (key === 'dataset') return `dataset.${value}`;
  return `choice.${key}.${value}`;
}
