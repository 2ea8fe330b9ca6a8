// Guided lessons (issue 13 item 4): short sequences of steps that each start a run (or keep the
// previous one), say what to watch, ask one question, and check the live numbers before "Next"
// is offered. The lessons are data (lessons.json, language independent), their words are the
// `lessons` catalog section; both load on demand, with this module — main.js imports it on a
// `lesson=` link or the Lessons button only. The lesson and step live in the URL hash
// (`#lesson=gan-game&step=3`, 1-based), so course material can link straight into a step, and
// the panel works in embed mode. Test hook: window.__genlab.lessons.
import { commands, on } from './bus.js';
import { fmt } from './format.js';
import { loadSection, onLanguageChange, t } from './i18n.js';
import { canonical, excerpt, lessonOf } from './state.js';

const DATA_URL = new URL('./lessons.json', import.meta.url);
const CSS_URL = new URL('./lessons.css', import.meta.url);
const DEFAULT_SEED = '1';          // lessons are seeded runs: what a step says is what it shows
const PROGRESS_EVERY_MS = 300;     // the visible progress list
const ANNOUNCE_EVERY_MS = 8000;    // the screen reader's progress line, unless something changed

/**
 * @typedef {{ stat?: string, metric?: string, near?: number, tol?: number, above?: number,
 *   below?: number, belowMetric?: string }} Condition
 * @typedef {{ minStep?: number, all: Condition[] }} Check
 * @typedef {{ preset?: string, settings?: Record<string, string>, keep?: boolean, trained?: boolean,
 *   check: Check, seconds: number, choices: number, answer: number }} Step
 * @typedef {{ id: string, steps: Step[] }} Lesson
 * @typedef {{ name: string, settings: Record<string, string> }} Preset
 */

// ---------- pure helpers (node's tests import them) ----------

/** The catalog keys a lesson uses. @param {Lesson} lesson */
export function textKeys(lesson) {
  const keys = [`lessons.${lesson.id}.title`, `lessons.${lesson.id}.summary`];
  lesson.steps.forEach((s, i) => {
    const p = `lessons.${lesson.id}.${i + 1}`;
    keys.push(`${p}.title`, `${p}.watch`, `${p}.question`);
    for (let k = 1; k <= s.choices; k++) keys.push(`${p}.choice.${k}`, `${p}.feedback.${k}`);
    for (const c of s.check.all) keys.push(`lessons.value.${c.stat ?? c.metric}`, ...(c.belowMetric ? [`lessons.value.${c.belowMetric}`] : []));
  });
  return keys;
}

/** The index of the step whose run step `index` trains: itself, or the last earlier step that starts one. */
export function runStepIndex(/** @type {Lesson} */ lesson, /** @type {number} */ index) {
  let i = index;
  while (i > 0 && lesson.steps[i].keep) i--;
  return i;
}

/**
 * The settings of the run step `index` trains: its preset's settings, then its own, seed 1
 * unless it names one (every other key takes its default).
 * @param {Lesson} lesson @param {number} index @param {Preset[]} presets
 */
export function stepSettings(lesson, index, presets) {
  const s = lesson.steps[runStepIndex(lesson, index)];
  const preset = s.preset ? presets.find((p) => p.name === s.preset) : null;
  return { seed: DEFAULT_SEED, ...(preset?.settings ?? {}), ...(s.settings ?? {}) };
}

/**
 * Whether the running config is the run a step asks for (every key the step sets, compared in
 * canonical form; the rest are whatever they are).
 * @param {Record<string, string> | null} config @param {Record<string, string>} settings @param {any[]} schema
 */
export function configMatches(config, settings, schema) {
  if (!config) return false;
  for (const [k, v] of Object.entries(settings)) {
    const f = schema.find((x) => x.key === k);
    const a = f ? canonical(f, config[k]) : String(config[k]);
    const b = f ? canonical(f, v) : String(v);
    if (a !== b) return false;
  }
  return true;
}

/**
 * One condition against the live numbers: { value, target, met }. Metric conditions count only
 * with metrics computed at or after the check's minimum step.
 * @param {Condition} c @param {{ stats: any, metrics: any, metricsStep: number }} live @param {number} minStep
 */
export function condition(c, live, minStep = 0) {
  const fresh = live.metrics && live.metricsStep >= minStep;
  const value = c.stat ? live.stats?.[c.stat] : live.metrics?.[c.metric];
  const other = c.belowMetric ? live.metrics?.[c.belowMetric] : undefined;
  const target = c.belowMetric ? other : (c.near ?? c.above ?? c.below);
  let met = typeof value === 'number' && Number.isFinite(value);
  if (met && c.metric && !fresh) met = false;
  if (met) {
    if (c.near !== undefined) met = Math.abs(value - c.near) <= (c.tol ?? 0);
    else if (c.above !== undefined) met = value >= c.above;
    else if (c.below !== undefined) met = value <= c.below;
    else if (c.belowMetric) met = typeof other === 'number' && value < other;
    else met = false;
  }
  return { value, target, met };
}

/** The whole check: { stepOk, met: boolean[], passed }. @param {Check} check */
export function evaluateCheck(check, live) {
  const minStep = check.minStep ?? 0;
  const stepOk = live.step >= minStep;
  const met = check.all.map((c) => condition(c, live, minStep).met);
  return { stepOk, met, passed: stepOk && met.every(Boolean) };
}

/**
 * A link's raw lesson keys (state.js lessonOf: still-encoded text) checked: null, or { id ('' when
 * missing or malformed), step (1 when missing or not a whole number 1–99), problems: [{ what:
 * 'lesson' | 'step', text }] } with short printable excerpts of what was wrong.
 * @param {{ id: string | null, step: string | null } | null} raw
 */
export function readLink(raw) {
  if (!raw) return null;
  const decode = (v) => {
    if (v === null) return null;
    try {
      return decodeURIComponent(v.replace(/\+/g, ' ')).trim();
    } catch {
      return v;
    }
  };
  const id = decode(raw.id);
  const step = decode(raw.step);
  const ok = id !== null && /^[a-z0-9][a-z0-9-]{0,47}$/.test(id);
  const n = ok && step !== null && /^\d{1,2}$/.test(step) && Number(step) >= 1 ? Number(step) : 1;
  const problems = [];
  if (id !== null && !ok) problems.push({ what: 'lesson', text: excerpt(id) });
  if ((ok || id === null) && step !== null && String(n) !== step) problems.push({ what: 'step', text: excerpt(step) });
  return { id: ok ? id : '', step: n, problems };
}

/**
 * A link's lesson (readLink's answer) resolved against the lessons: { lesson, index, problems },
 * problems as [{ key, params, lesson? }] for the catalog. Unknown or malformed lessons open the
 * list; a bad step opens step 1.
 * @param {Lesson[]} lessons @param {{ id: string, step: number, problems: {what: string, text: string}[] }} link
 */
export function resolveLink(lessons, link) {
  const problems = [];
  const badId = link.problems.find((p) => p.what === 'lesson');
  const badStep = link.problems.find((p) => p.what === 'step');
  if (!link.id) {
    if (badId) problems.push({ key: 'lessons.ui.link_bad_id', params: { text: badId.text } });
    else problems.push({ key: 'lessons.ui.link_step_alone', params: { text: badStep?.text ?? '' } });
    return { lesson: null, index: 0, problems };
  }
  const lesson = lessons.find((l) => l.id === link.id) ?? null;
  if (!lesson) return { lesson: null, index: 0, problems: [{ key: 'lessons.ui.link_unknown', params: { id: link.id } }] };
  let index = link.step - 1;
  if (badStep || index < 0 || index >= lesson.steps.length) {
    index = 0;
    problems.push({ key: 'lessons.ui.link_bad_step', lesson: lesson.id,
      params: { text: badStep?.text ?? String(link.step), total: lesson.steps.length, step: 1 } });
  }
  return { lesson, index, problems };
}

/** `hash` with its lesson keys replaced by `lesson` ({ id, step }) or removed (null). */
export function withLesson(hash, lesson) {
  const parts = String(hash ?? '').replace(/^#/, '').split('&').filter((p) => p && !/^(lesson|step)(=|$)/.test(p));
  if (lesson) parts.push(`lesson=${encodeURIComponent(lesson.id)}`, `step=${lesson.step}`);
  return parts.length ? `#${parts.join('&')}` : '';
}

const PERCENT = new Set(['hq', 'class_asked']);
const COUNT = new Set(['modes', 'class_modes']);
/** A live value for people. */
export function formatValue(name, v) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  if (PERCENT.has(name)) return `${fmt(100 * v, 1)} %`;
  if (COUNT.has(name)) return String(Math.round(v));
  return fmt(v);
}
/** A target as the lesson states it (0.52, 30 %, 8). */
export function formatTarget(name, v) {
  if (typeof v !== 'number') return '–';
  return PERCENT.has(name) ? `${+(100 * v).toFixed(1)} %` : String(v);
}

// ---------- the runner ----------

/** @type {Promise<any> | null} */
let instance = null;

/**
 * Sets the runner up once (loads the lessons and their catalog, follows a `lesson=` link) and
 * returns its controller { open, close }.
 * @param {{ presets: Preset[], schema: any[] }} opts
 */
export function initLessons(opts) {
  instance ??= setup(opts);
  return instance;
}

async function setup({ presets, schema }) {
  const [data] = await Promise.all([
    fetch(DATA_URL).then((r) => {
      if (!r.ok) throw new Error(`${DATA_URL.pathname} → ${r.status}`);
      return r.json();
    }),
    loadSection('lessons'),
    loadCss(),
  ]);
  /** @type {Lesson[]} */
  const lessons = data.lessons;
  const panel = /** @type {HTMLElement} */ (document.getElementById('lesson-panel'));
  const opener = document.getElementById('lessons-open');

  const st = {
    /** @type {Lesson | null} */ lesson: null,
    index: 0,
    passed: false,
    passedAt: 0,
    runReady: false,
    /** @type {Record<string, string> | null} */ config: null,
    stats: null,
    step: 0,
    metrics: null,
    metricsStep: -1,
    /** @type {number | null} */ answer: null,
    /** @type {any[]} */ notices: [],
    /** @type {string | null} */ finished: null,
    /** @type {Check | null} */ override: null,   // test hook: a check to use instead of the step's
    lastAnnounce: 0,
    lastSummary: '',
    enteredAt: 0,      // the run's step when this step was entered: a check passes on training after it
  };
  const check = () => st.override ?? st.lesson?.steps[st.index].check ?? { all: [] };
  const wanted = () => (st.lesson ? stepSettings(st.lesson, st.index, presets) : {});
  const runMatches = () => st.runReady && configMatches(st.config, wanted(), schema);
  const live = () => ({ stats: st.stats, metrics: st.metrics, metricsStep: st.metricsStep, step: st.step });

  function evaluate() {
    if (!st.lesson || st.passed || !runMatches() || st.step <= st.enteredAt) return;
    if (evaluateCheck(check(), live()).passed) {
      st.passed = true;
      st.passedAt = st.step;
      updateProgress(true);
    }
  }

  on('configured', (e) => {
    st.config = e.config;
    if (!e.retuned) {
      st.runReady = true;
      st.stats = null;
      st.step = 0;
      st.metrics = null;
      st.metricsStep = -1;
    }
    if (st.lesson) updateProgress(true);
  });
  on('stats', (e) => {
    st.stats = e.stats;
    st.step = e.step;
    evaluate();
  });
  on('metrics', (e) => {
    st.metrics = e.metrics;
    st.metricsStep = e.step;
    evaluate();
  });
  onLanguageChange(() => render());
  window.addEventListener('hashchange', () => followLink());
  setInterval(() => { if (st.lesson && !panel.hidden) updateProgress(false); }, PROGRESS_EVERY_MS);

  // ---------- moving between steps ----------

  /** @param {Lesson} lesson @param {number} index @param {'start' | 'next' | 'back' | 'link' | 'restart'} how */
  function enter(lesson, index, how) {
    const sameRun = how === 'next' && lesson.steps[index].keep && st.lesson === lesson && runMatches();
    st.lesson = lesson;
    st.index = index;
    st.passed = false;
    st.answer = null;
    st.finished = null;
    st.override = null;
    st.lastSummary = '';
    if (how !== 'link') st.notices = [];
    st.enteredAt = sameRun ? st.step : 0;
    writeHash();
    if (!sameRun) {
      st.runReady = false;
      st.stats = null;
      st.step = 0;
      st.metrics = null;
      st.metricsStep = -1;
      commands.configure(stepSettings(lesson, index, presets));
      // A step that starts from the preset's trained checkpoint (web/checkpoints): loaded after the
      // run is set up, it replaces the run's weights and step; training that plays goes on from it.
      const s = lesson.steps[index];
      if (s.trained && s.preset) commands.startTrained(s.preset);
    }
    show();
    render();
    focusTitle();
  }

  function writeHash() {
    const hash = withLesson(location.hash, st.lesson ? { id: st.lesson.id, step: st.index + 1 } : null);
    if (hash !== location.hash) history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
  }

  // A `lesson=` link (on load or edited by hand): enter that step, or list the lessons with a notice.
  function followLink() {
    const link = readLink(lessonOf(location.hash));
    if (!link) {
      if (st.lesson) close(false);
      return;
    }
    if (st.lesson && !link.problems.length && link.id === st.lesson.id && link.step === st.index + 1) return;
    const r = resolveLink(lessons, link);
    st.notices = r.problems;
    if (r.lesson) {
      enter(r.lesson, r.index, 'link');
    } else {
      st.lesson = null;
      writeHash();
      show();
      render();
    }
  }

  function show() {
    panel.hidden = false;
    opener?.setAttribute('aria-expanded', 'true');
  }

  function close(focusOpener = true) {
    st.lesson = null;
    st.notices = [];
    st.finished = null;
    panel.hidden = true;
    panel.replaceChildren();
    opener?.setAttribute('aria-expanded', 'false');
    writeHash();
    if (focusOpener) opener?.focus();
  }

  function list() {
    st.lesson = null;
    writeHash();
    render();
    focusTitle();
  }

  const focusTitle = () => /** @type {HTMLElement | null} */ (panel.querySelector('[data-lesson-focus]'))?.focus();

  // ---------- drawing ----------

  const el = (tag, cls = '', key = '', params = undefined) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (key) e.textContent = t(key, params);
    return e;
  };
  const button = (key, cls, run, params = undefined) => {
    const b = /** @type {HTMLButtonElement} */ (el('button', `btn btn-small ${cls}`, key, params));
    b.type = 'button';
    b.addEventListener('click', run);
    return b;
  };

  function header(titleKey, titleParams = undefined) {
    const head = el('div', 'lesson-head');
    const h = el('h2', 'lesson-title', titleKey, titleParams);
    h.id = 'lesson-h';
    h.tabIndex = -1;
    h.dataset.lessonFocus = '';
    const closeBtn = button('lessons.ui.close', 'lesson-close', () => close());
    closeBtn.setAttribute('aria-label', t('lessons.ui.close_label'));
    head.append(h, closeBtn);
    panel.setAttribute('aria-labelledby', 'lesson-h');
    return head;
  }

  function noticeLines() {
    return st.notices.map((n) => {
      const p = el('p', 'lesson-notice', n.key, { ...n.params, title: n.lesson ? t(`lessons.${n.lesson}.title`) : '' });
      p.setAttribute('role', 'alert');
      return p;
    });
  }

  function render() {
    if (panel.hidden) return;
    panel.replaceChildren();
    if (!st.lesson) return renderList();
    const lesson = st.lesson;
    const i = st.index;
    const s = lesson.steps[i];
    const p = `lessons.${lesson.id}.${i + 1}`;
    const head = header(`lessons.${lesson.id}.title`);
    const all = button('lessons.ui.all', 'lesson-all', list);
    head.insertBefore(all, head.lastChild);
    panel.append(head, ...noticeLines());

    const stepNo = el('p', 'lesson-stepno', 'lessons.ui.step_of', { n: i + 1, total: lesson.steps.length });
    const title = el('h3', 'lesson-step-title', `${p}.title`);
    panel.append(stepNo, title);

    // What this step runs.
    const run = el('div', 'lesson-run');
    if (s.keep) {
      run.append(el('span', '', 'lessons.ui.keep'));
    } else {
      const parts = [...(s.preset ? [s.preset] : []), ...Object.entries(s.settings ?? {}).map(([k, v]) => `${k}=${v}`)];
      const code = el('code');
      code.textContent = parts.join(' · ');
      run.append(el('span', '', 'lessons.ui.runs'), ' ', parts.length ? code : el('span', '', 'lessons.ui.defaults'));
      if (s.trained) run.append(' ', el('span', '', 'lessons.ui.trained'));
    }
    run.append(' ', button('lessons.ui.restart', 'lesson-restart', () => enter(lesson, i, 'restart')));
    panel.append(run);

    // Two columns on wide screens: what to watch and the question; the check and the way on.
    const cols = el('div', 'lesson-cols');
    const colA = el('div', 'lesson-col');
    const colB = el('div', 'lesson-col');
    cols.append(colA, colB);
    panel.append(cols);
    const watch = el('section', 'lesson-watch');
    watch.append(el('h4', '', 'lessons.ui.watch'), el('p', '', `${p}.watch`));
    colA.append(watch, questionBox(lesson, i, s, p));

    // The check and its live progress.
    const box = el('section', 'lesson-check');
    box.setAttribute('aria-labelledby', 'lesson-check-h');
    const ch = el('h4', '', 'lessons.ui.check');
    ch.id = 'lesson-check-h';
    const conds = el('ul', 'lesson-conds');
    conds.id = 'lesson-conds';
    const hint = el('p', 'lesson-hint');
    hint.dataset.lessonHint = '';
    const status = el('p', 'lesson-status');
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    status.dataset.lessonStatus = '';
    box.append(ch, el('p', 'lesson-time', 'lessons.ui.time', { s: s.seconds }), conds, hint, status);
    colB.append(box);

    const nav = el('div', 'lesson-nav');
    const back = button('lessons.ui.back', 'lesson-back', () => enter(lesson, i - 1, 'back'));
    back.disabled = i === 0;
    const last = i === lesson.steps.length - 1;
    const next = button(last ? 'lessons.ui.finish' : 'lessons.ui.next', 'btn-play lesson-next', () => {
      if (!st.passed) return;
      if (last) finish(lesson);
      else enter(lesson, i + 1, 'next');
    });
    next.dataset.lessonNext = '';
    next.setAttribute('aria-describedby', 'lesson-conds');
    nav.append(back, next);
    colB.append(nav);
    updateProgress(true);
  }

  function questionBox(lesson, i, s, p) {
    const fs = el('fieldset', 'lesson-q');
    const legend = el('legend');
    legend.append(el('span', 'lesson-q-label', 'lessons.ui.question'), ' ', el('span', '', `${p}.question`));
    fs.append(legend);
    const feedback = el('p', 'lesson-feedback');
    feedback.setAttribute('role', 'status');
    feedback.setAttribute('aria-live', 'polite');
    const say = () => {
      if (st.answer === null) {
        feedback.textContent = '';
        return;
      }
      const right = st.answer === s.answer;
      feedback.dataset.right = String(right);
      feedback.textContent = `${t(right ? 'lessons.ui.right' : 'lessons.ui.wrong')} ${t(`${p}.feedback.${st.answer}`)}`;
    };
    for (let k = 1; k <= s.choices; k++) {
      const id = `lesson-q-${lesson.id}-${i + 1}-${k}`;
      const row = el('div', 'lesson-choice');
      const input = /** @type {HTMLInputElement} */ (el('input'));
      input.type = 'radio';
      input.name = 'lesson-q';
      input.id = id;
      input.value = String(k);
      input.checked = st.answer === k;
      input.addEventListener('change', () => {
        st.answer = k;
        say();
      });
      const label = /** @type {HTMLLabelElement} */ (el('label', '', `${p}.choice.${k}`));
      label.htmlFor = id;
      row.append(input, label);
      fs.append(row);
    }
    fs.append(feedback);
    say();
    return fs;
  }

  // The live part: each condition with its value and target, the step count, what to do, Next.
  function updateProgress(force) {
    if (!st.lesson || panel.hidden) return;
    const conds = panel.querySelector('#lesson-conds');
    const next = /** @type {HTMLButtonElement | null} */ (panel.querySelector('[data-lesson-next]'));
    if (!conds || !next) return;
    const c = check();
    const minStep = c.minStep ?? 0;
    const matches = runMatches();
    const lv = matches ? live() : { stats: null, metrics: null, metricsStep: -1, step: 0 };
    const rows = [];
    const stepRow = el('li', '', 'lessons.ui.steps_cond', { value: lv.step, min: minStep });
    stepRow.dataset.met = String(lv.step >= minStep);
    rows.push(stepRow);
    let met = lv.step >= minStep ? 1 : 0;
    for (const cond of c.all) {
      const name = cond.stat ?? cond.metric ?? '';
      const r = condition(cond, lv, minStep);
      const kind = cond.belowMetric ? 'below_metric' : cond.near !== undefined ? 'near' : cond.above !== undefined ? 'above' : 'below';
      const value = formatValue(name, r.value) ?? t('lessons.ui.no_value');
      const target = cond.belowMetric ? (formatValue(cond.belowMetric, r.target) ?? t('lessons.ui.no_value')) : formatTarget(name, r.target);
      const li = el('li', '', `lessons.ui.cond.${kind}`, {
        name: t(`lessons.value.${name}`), value, target, tol: formatTarget(name, cond.tol),
        other: cond.belowMetric ? t(`lessons.value.${cond.belowMetric}`) : '',
      });
      li.dataset.met = String(r.met || st.passed);
      li.dataset.value = typeof r.value === 'number' ? String(r.value) : '';
      li.append(' — ', el('span', 'lesson-mark', r.met || st.passed ? 'lessons.ui.met' : 'lessons.ui.not_met'));
      if (r.met) met++;
      rows.push(li);
    }
    stepRow.append(' — ', el('span', 'lesson-mark', lv.step >= minStep || st.passed ? 'lessons.ui.met' : 'lessons.ui.not_met'));
    conds.replaceChildren(...rows);
    next.disabled = !st.passed;
    next.dataset.passed = String(st.passed);

    const hint = /** @type {HTMLElement | null} */ (panel.querySelector('[data-lesson-hint]'));
    const state = commands.state();
    const hintKey = st.passed ? '' : !st.runReady ? 'lessons.ui.waiting_run' : !matches ? 'lessons.ui.mismatch'
      : !state?.playing ? 'lessons.ui.press_play' : '';
    if (hint) {
      hint.textContent = hintKey ? t(hintKey) : '';
      hint.hidden = !hintKey;
    }
    // The screen reader hears a change of state at once, the running numbers now and then.
    const summary = st.passed ? t('lessons.ui.passed', { step: st.passedAt })
      : t('lessons.ui.progress', { step: lv.step, met, total: c.all.length + 1 });
    const shape = st.passed ? 'passed' : `${met}/${hintKey}`;
    const status = panel.querySelector('[data-lesson-status]');
    const now = performance.now();
    if (status && (force || shape !== st.lastSummary || now - st.lastAnnounce > ANNOUNCE_EVERY_MS)) {
      status.textContent = summary;
      st.lastAnnounce = now;
      st.lastSummary = shape;
    }
  }

  function finish(lesson) {
    st.finished = lesson.id;
    st.notices = [];
    st.lesson = null;
    writeHash();
    render();
    focusTitle();
  }

  function renderList() {
    panel.append(header('lessons.ui.heading'), ...noticeLines());
    if (st.finished) {
      const done = el('p', 'lesson-done', 'lessons.ui.done', { title: t(`lessons.${st.finished}.title`) });
      done.setAttribute('role', 'status');
      panel.append(done);
    }
    panel.append(el('p', 'lesson-intro', 'lessons.ui.intro'));
    const ol = el('ol', 'lesson-list');
    for (const lesson of lessons) {
      const li = el('li', 'lesson-item');
      li.dataset.lesson = lesson.id;
      const seconds = lesson.steps.reduce((a, s) => a + s.seconds, 0);
      const start = button('lessons.ui.start', 'lesson-start', () => enter(lesson, 0, 'start'));
      start.setAttribute('aria-label', t('lessons.ui.start_label', { title: t(`lessons.${lesson.id}.title`) }));
      li.append(el('h3', '', `lessons.${lesson.id}.title`), el('p', '', `lessons.${lesson.id}.summary`),
        el('p', 'lesson-meta', 'lessons.ui.steps_time', { n: lesson.steps.length, s: seconds }), start);
      ol.append(li);
    }
    panel.append(ol);
  }

  // ---------- public ----------

  const controller = {
    open() {
      show();
      if (!st.lesson) render();
      focusTitle();
    },
    close,
  };
  // Test hook: the runner's state, and a check to use instead of the step's (null: the step's own).
  /** @type {any} */ (window).__genlab.lessons = {
    state: () => ({ lesson: st.lesson?.id ?? null, step: st.lesson ? st.index + 1 : 0, passed: st.passed, passedAt: st.passedAt,
      runReady: st.runReady, matches: runMatches(), runStep: st.step }),
    setCheck(/** @type {Check | null} */ c) {
      st.override = c;
      st.passed = false;
      st.enteredAt = st.step;
      updateProgress(true);
    },
    ids: () => lessons.map((l) => l.id),
  };
  if (lessonOf(location.hash)) followLink();
  return controller;
}

// The panel's styles, fetched with the lessons (not part of the first load).
function loadCss() {
  if (document.querySelector('link[data-lessons-css]')) return Promise.resolve();
  return new Promise((resolve) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = CSS_URL.href;
    link.dataset.lessonsCss = '';
    link.addEventListener('load', () => resolve(undefined));
    link.addEventListener('error', () => resolve(undefined));
    document.head.append(link);
  });
}
