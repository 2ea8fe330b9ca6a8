// Classroom embedding: applies `embed=1` and `<name>_hide=1` to the page, and runs the "Use in a
// course" panel that turns the current state plus ticked checkboxes into an <iframe> snippet.
// buildEmbedUrl / iframeSnippet are pure.
import { settingLabel } from './controls.js';
import { setText, t } from './i18n.js';
import { UI_HIDEABLE } from './state.js';


// The page URL (without its hash) + state hash + hide flags + embed flag.
export function buildEmbedUrl(pageUrl, stateHash, hide, embed) {
  const base = String(pageUrl).split('#')[0];
  const parts = stateHash.replace(/^#/, '').split('&').filter((p) => p && !/_hide=|^embed=/.test(p));
  for (const name of hide) parts.push(`${name}_hide=1`);
  if (embed) parts.push('embed=1');
  return parts.length ? `${base}#${parts.join('&')}` : base;
}

const attr = (s) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// The snippet's height for the views a run shows in embed mode at 900 px wide: image models
// stack a grid, reconstructions and (VAEs) the latent views and the interpolation strip, which
// a 640 px frame would hide behind an inner scrollbar (tests/web/rough_edges measures them).
export function embedHeight(views) {
  if (views.includes('interp')) return 860;                           // measured ≤ 810
  if (views.includes('data') && !views.includes('latent')) return 700;  // one large view: 646
  return 640;                                                          // two views: 521
}

export function iframeSnippet(url, { width = 900, height = 640, title = '' } = {}) {
  return `<iframe src="${attr(url)}" width="${width | 0}" height="${height | 0}" title="${attr(title)}" ` +
    'loading="lazy" allow="clipboard-write"></iframe>';
}

// Hides every [data-hide] element named in `hide`; embed mode strips the page to its views.
export function applyEmbedFlags(hide, embed) {
  document.body.classList.toggle('embed', Boolean(embed));
  for (const el of document.querySelectorAll('[data-hide]')) {
    if (!(el instanceof HTMLElement)) continue;
    el.classList.toggle('flag-hidden', hide.has(el.dataset.hide));
  }
}

// The course panel. getState() → { hash, hide, fields }: the state hash, the page's own hide
// flags (the initial ticks) and the schema fields shown now.
export function createCoursePanel(root, getState, notify) {
  const uiBox = root.querySelector('#course-ui');
  const setBox = root.querySelector('#course-settings');
  const embedBox = root.querySelector('#course-embed');
  const out = root.querySelector('#course-snippet');
  const link = root.querySelector('#course-link');
  const copy = root.querySelector('#course-copy');
  const checked = new Set();
  let seeded = false;

  function checkbox(name, text, parent) {
    const id = `hide-${name}`;
    const wrap = document.createElement('div');
    wrap.className = 'check';
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.id = id;
    input.checked = checked.has(name);
    input.addEventListener('change', () => {
      if (input.checked) checked.add(name);
      else checked.delete(name);
      update();
    });
    const label = document.createElement('label');
    label.htmlFor = id;
    if (typeof text === 'string') setText(label, text);
    else setText(label, text.key, text.params);
    wrap.append(input, label);
    parent.append(wrap);
  }

  function rebuild() {
    const { fields, hide } = getState();
    if (!seeded) {
      for (const name of hide ?? []) checked.add(name);   // start from the page's own flags
      seeded = true;
    }
    uiBox.replaceChildren();
    setBox.replaceChildren();
    for (const name of UI_HIDEABLE) checkbox(name, `course.hide_ui.${name}`, uiBox);
    for (const f of fields) checkbox(f.key, { key: 'course.hide_setting', params: { name: settingLabel(f.key) } }, setBox);
    update();
  }

  function update() {
    const { hash } = getState();
    const url = buildEmbedUrl(location.href, hash, checked, embedBox.checked);
    out.value = iframeSnippet(url, { title: t('course.iframe_title'), height: embedHeight(getState().views ?? []) });
    link.href = url;
  }

  embedBox.addEventListener('change', update);
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(out.value);
      notify(t('course.copied'));
    } catch {
      out.focus();
      out.select();
      notify(t('course.copy_blocked'));
    }
  });
  return { rebuild, update };
}
