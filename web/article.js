// The article beside the playground: VAEs and GANs explained, one idea per paragraph, with the
// formulas (MathML from web/math) and live playgrounds embedded where the reader can see each
// idea happen. Structure here; every word in web/i18n/<lang>/article.json. Language: lang= in
// the link, else the browser's; a switch on the page.
import { applyI18n, initI18n, loadSection, pickLanguage, setLanguage, t } from './i18n.js';
import { loadMath, mathNode } from './math.js';

// Sections: paragraphs (catalog keys art.<id>.p1…), formulas (web/math ids) after a paragraph,
// and embedded playgrounds (a link hash: settings, then embed=1).
const SECTIONS = [
  { id: 'intro', paras: 2 },
  { id: 'vae', paras: 3, formulas: { 2: ['vae.elbo'] },
    embed: { hash: 'model=vae&dataset=ring8&latent=2&enc_hidden=64,64&dec_hidden=64,64&likelihood=gaussian&gauss_var=learned', height: 700 } },
  { id: 'terms', paras: 3, formulas: { 1: ['vae.loss', 'vae.bce'], 2: ['vae.kl_gauss'] },
    embed: { hash: 'model=vae&dataset=mnist10&latent=2&enc_hidden=16&dec_hidden=16&likelihood=bernoulli&opt=rmsprop&batch=256&init=xavier&beta=8', height: 860 } },
  { id: 'reparam', paras: 3, formulas: { 1: ['vae.reparam'], 3: ['vae.iwae'] } },
  { id: 'gan', paras: 3, formulas: { 1: ['gan.value'] },
    embed: { hash: 'model=gan&batch=1024&pack=2&g_ema=0.999&g_lr=0.001&d_lr=0.001&beta1=0.5&v_grid=true', height: 700 } },
  { id: 'optimal', paras: 2, formulas: { 1: ['gan.d.optimal', 'gan.equilibrium', 'gan.jsd'] } },
  { id: 'saturation', paras: 2, formulas: { 1: ['gan.minimax.g', 'gan.nonsaturating.g'] },
    embed: { hash: 'model=gan&batch=1024&loss=minimax&g_lr=0.001&d_lr=0.001&beta1=0.5', height: 700 } },
  { id: 'collapse', paras: 3, formulas: { 3: ['gan.lsgan.d', 'gan.hinge.d', 'gan.wgan.d'] },
    embed: { hash: 'model=gan&dataset=grid25&batch=1024&pack=1&g_lr=0.001&d_lr=0.001&beta1=0.5', height: 700 } },
  { id: 'measure', paras: 2, formulas: { 1: ['metric.hq'], 2: ['metric.classifier_score'] } },
  { id: 'vaegan', paras: 3, formulas: { 2: ['vaegan.llike', 'vaegan.enc', 'vaegan.dec', 'vaegan.d'] } },
  { id: 'seed', paras: 4 },
];

const $ = (id) => document.getElementById(id);
const lang = pickLanguage(`${location.search}${location.hash}`, [...(navigator.languages ?? [navigator.language])]);

function node(tag, cls, key) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (key) {
    e.dataset.i18n = key;
    e.textContent = t(key);
  }
  return e;
}

function build() {
  const main = $('article');
  main.replaceChildren();
  const toc = $('toc');
  toc.replaceChildren();
  for (const s of SECTIONS) {
    const sec = node('section', 'art-section');
    sec.id = s.id;
    sec.setAttribute('aria-labelledby', `${s.id}-h`);
    const h = node('h2', '', `art.${s.id}.h`);
    h.id = `${s.id}-h`;
    sec.append(h);
    const li = document.createElement('li');
    const a = node('a', '', `art.${s.id}.h`);
    a.href = `#${s.id}`;
    li.append(a);
    toc.append(li);
    for (let p = 1; p <= s.paras; p++) {
      sec.append(node('p', '', `art.${s.id}.p${p}`));
      for (const id of s.formulas?.[p] ?? []) {
        const box = node('div', 'art-formula');
        box.dataset.formula = id;
        box.append(mathNode(id));
        sec.append(box);
      }
    }
    if (s.embed) {
      const fig = node('figure', 'art-embed');
      const frame = document.createElement('iframe');
      frame.src = `./index.html#${s.embed.hash}&embed=1&lang=${lang}`;
      frame.height = String(s.embed.height);
      frame.loading = 'lazy';
      frame.dataset.i18nAttr = `title:art.${s.id}.embed`;
      frame.title = t(`art.${s.id}.embed`);
      const cap = node('figcaption', '', `art.${s.id}.embed`);
      fig.append(frame, cap);
      sec.append(fig);
    }
    main.append(sec);
  }
}

async function start() {
  await initI18n(lang);
  await Promise.all([loadSection('article'), loadMath()]);
  document.title = t('art.title');
  const picker = /** @type {HTMLSelectElement} */ ($('lang'));
  picker.value = lang;
  picker.addEventListener('change', async () => {
    await setLanguage(picker.value);
    document.title = t('art.title');
    for (const f of document.querySelectorAll('iframe')) f.src = f.src.replace(/lang=[a-z]+/, `lang=${picker.value}`);
    history.replaceState(null, '', `?lang=${picker.value}${location.hash}`);
  });
  build();
  applyI18n(document);
  document.body.dataset.ready = 'true';
}

start().catch((e) => {
  const p = $('art-error');
  p.hidden = false;
  p.textContent = String(e?.message ?? e);
});
