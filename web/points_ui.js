// The "Your points" panel: strokes drawn on the data canvas (views.js reports them), CSV pasted
// or uploaded (parsed by the core: setPointsCsv, whose error message is shown verbatim while
// the previous points stay), and clearing. The page keeps the points to replay them to a
// restarted worker.
import { t } from './i18n.js';
import { MSG } from './protocol.js';

const MAX_CSV_FILE = 8 << 20;

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

  el('points-use').addEventListener('click', () => {
    post({ type: MSG.POINTS_CSV, text: el('points-csv').value });
  });
  el('points-file').addEventListener('change', async () => {
    const input = el('points-file');
    const file = input.files[0];
    input.value = '';
    if (!file) return;
    if (file.size > MAX_CSV_FILE) {
      say(t('points.file_too_large', { name: file.name }), true);
      return;
    }
    const text = await file.text();
    el('points-csv').value = text.length > 20000 ? `${text.slice(0, 20000)}\n# … (shortened here; the whole file is used)` : text;
    post({ type: MSG.POINTS_CSV, text });
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
