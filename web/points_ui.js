// The "Your points" panel: strokes drawn on the data canvas (views.js reports them), CSV pasted
// or uploaded (parsed by the core: setPointsCsv, whose error message is shown verbatim while
// the previous points stay), and clearing. The page keeps the points to replay them to a
// restarted worker.
import { fmtBytes } from './format.js';
import { t } from './i18n.js';
import { MSG } from './protocol.js';

// The most CSV text taken, uploaded or pasted (100,000 rows of "x,y" need about 2 MB). Checked
// before the text reaches the text area or the worker: a 50 MB paste once grew the renderer to 8 GB.
export const MAX_CSV_BYTES = 8 << 20;
// Longer text is used at once and shown shortened: a text area holding megabytes is slow to edit.
export const SHOWN_CSV_CHARS = 20000;

export function wirePoints({ post, postCopy, getPoints, setPoints, pause, redraw, retrain }) {
  const el = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (document.getElementById(id));
  const msg = el('points-msg');
  const say = (text, isError = false) => {
    msg.textContent = text;
    if (isError) msg.setAttribute('role', 'alert');
    else msg.removeAttribute('role');
  };

  function add(xy) {
    const old = getPoints() ?? new Float32Array(0);
    const next = new Float32Array(old.length + xy.length);
    next.set(old);
    next.set(xy, old.length);
    setPoints(next);
    if (next.length < 4) {
      say(t('points.too_few'));
      redraw();
      return;
    }
    postCopy({ type: MSG.POINTS, xy: next });
    say(t('points.using', { n: next.length / 2 }));
    retrain();
  }

  const area = el('points-csv');
  // Text too long to show whole: the text area shows its start, `whole` keeps the rest for Use.
  let whole = /** @type {{ shown: string, text: string } | null} */ (null);
  const useText = (/** @type {string} */ text) => {
    if (text.length > SHOWN_CSV_CHARS) {
      whole = { shown: `${text.slice(0, SHOWN_CSV_CHARS)}\n${t('points.shortened')}`, text };
      area.value = whole.shown;
      say(t('points.reading', { size: fmtBytes(text.length) }));
    }
    post({ type: MSG.POINTS_CSV, text });
  };
  el('points-use').addEventListener('click', () => {
    post({ type: MSG.POINTS_CSV, text: whole && area.value === whole.shown ? whole.text : area.value });
  });
  area.addEventListener('input', () => { if (whole && area.value !== whole.shown) whole = null; });
  // Large pastes and drops never enter the text area: over the cap they are refused, else used at
  // once (as an upload is).
  const intake = (/** @type {DataTransfer | null} */ data, /** @type {Event} */ e) => {
    const text = data?.getData('text/plain') ?? '';
    if (text.length <= SHOWN_CSV_CHARS) return;   // small: the browser inserts it as usual
    e.preventDefault();
    // Each UTF-16 unit is 1–3 UTF-8 bytes: only a text between cap/3 and cap units needs counting.
    const bytes = text.length > MAX_CSV_BYTES || text.length * 3 <= MAX_CSV_BYTES ? text.length : new Blob([text]).size;
    if (bytes > MAX_CSV_BYTES) {
      say(t('points.paste_too_large', { size: fmtBytes(bytes) }), true);
      return;
    }
    useText(text);
  };
  area.addEventListener('paste', (e) => intake(/** @type {ClipboardEvent} */ (e).clipboardData, e));
  area.addEventListener('drop', (e) => intake(/** @type {DragEvent} */ (e).dataTransfer, e));
  el('points-file').addEventListener('change', async () => {
    const input = el('points-file');
    const file = input.files[0];
    input.value = '';
    if (!file) return;
    if (file.size > MAX_CSV_BYTES) {
      say(t('points.file_too_large', { name: file.name }), true);
      return;
    }
    const text = await file.text();
    whole = null;
    if (text.length <= SHOWN_CSV_CHARS) area.value = text;
    useText(text);
  });
  el('points-clear').addEventListener('click', () => {
    pause();
    setPoints(new Float32Array(0));
    say(t('points.cleared'));
    redraw();
  });

  return {
    add,
    parsed(xy, count) {
      setPoints(xy);
      say(t('points.using_csv', { n: count }));
    },
    failed(message) {
      say(t('points.csv_failed', { message }), true);
    },
  };
}
