// The text side of the page: the step / epoch / steps-per-second readout (every frame, not
// announced), the polite status line (a few times a minute at most), the loss chart with its
// legend, and the metrics panel.
import { setText, t } from './i18n.js';
import { channelLabel, fmt, fmtRate, metricRows, statsField, statusLine } from './format.js';
import { fitCanvas } from './render/canvas.js';
import { drawChart } from './render/chart.js';
import { COLORS } from './render/colors.js';
import { throttle } from './throttle.js';

const ANNOUNCE_EVERY_MS = 4000;
const SHOW_EVERY_MS = 250;
// While training, the loss chart is redrawn at most this often (a trailing redraw shows the last
// history): a redraw of up to 2,048 points and its canvas commit every frame was a good part of
// the page's per-frame work with image views, which left the odd task over 50 ms on two cores.
const CHART_EVERY_MS = 125;
// The step / epoch / rate readout likewise: a number that changed every frame kept a strip across
// the top of the page in every frame the compositor drew (with software compositing the damage of
// a frame is one rectangle around all its changes, so the readout and the sample grid together
// meant most of the screen).
const READOUT_EVERY_MS = 250;

/** @param {HTMLElement} node @param {string} text */
function setIfChanged(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

export function createPanels() {
  const el = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (document.getElementById(id));
  const status = el('status');
  const live = el('status-live');
  const legend = el('chart-legend');
  const metricsList = el('metrics');
  const metricsNote = el('metrics-note');
  let lastAnnounce = 0;
  let legendKey = '';
  const legendValues = [];

  // epoch: the frame's (the session's count, a loaded model's included); else the stats'.
  // While training at most every READOUT_EVERY_MS (a trailing write shows the last numbers);
  // paused, at once.
  /** @type {[number, any, number, number | undefined]} */
  let readoutLatest = [0, null, 0, undefined];
  const readoutWrite = throttle(() => {
    const [step, stats, rate, epoch] = readoutLatest;
    const e = epoch ?? stats?.epoch ?? 0;
    // Written only when changed: each write replaces a text node and dirties layout.
    setIfChanged(el('ro-step'), String(step ?? 0));
    setIfChanged(el('ro-epoch'), e > 0 ? e.toFixed(2) : '–');
    setIfChanged(el('ro-rate'), fmtRate(rate));
  }, READOUT_EVERY_MS);
  function readout(step, stats, rate, epoch = undefined, now = true) {
    readoutLatest = [step, stats, rate, epoch];
    if (now) readoutWrite.now();
    else readoutWrite.request();
  }

  // The visible status line follows the run closely (at most every SHOW_EVERY_MS); the screen
  // reader's live region hears it at most every few seconds, or now when forced (pause, single
  // step, errors).
  let statusLatest = '';
  const statusWrite = throttle(() => setIfChanged(status, statusLatest), SHOW_EVERY_MS);
  function announce(text, force = false) {
    statusLatest = text;
    if (force) statusWrite.now();
    else statusWrite.request();
    const now = performance.now();
    if (!force && now - lastAnnounce < ANNOUNCE_EVERY_MS) return;
    lastAnnounce = now;
    setIfChanged(live, text);
  }

  // channels: the run's history channels (RunInfo.channels).
  function announceStats(stats, rate, channels, force = false) {
    announce(statusLine(stats, rate, channels), force);
  }

  // After a single D-only or G-only step: only that network's numbers (the other one did not
  // run, its loss is not a real zero) and a word on why the step counter did not move.
  function announcePart(stats, part, channels) {
    const own = channels.filter((c) => c.startsWith(`${part}_`));
    const values = own.map((c) => t('status.value', { name: channelLabel(c), value: fmt(stats[statsField(c)]) })).join(t('status.sep'));
    announce(t('status.part_step', { net: part.toUpperCase(), values }), true);
  }

  // A new run: an empty chart and a legend without the old run's last values.
  function resetChart(channels) {
    chartDraw.cancel();   // a trailing redraw of the old run's history must not come after
    buildLegend(channels);
    const fit = fitCanvas(el('cv-chart'));
    if (fit) drawChart(fit.ctx, fit.w, fit.h, null, [], { stride: 1 + channels.length });
  }

  function buildLegend(channels) {
    legendKey = channels.join(',');
    legend.replaceChildren();
    legendValues.length = 0;
    channels.map(channelLabel).forEach((name, i) => {
      const li = document.createElement('li');
      const sw = document.createElement('span');
      sw.className = `swatch swatch-${i}`;
      const label = document.createElement('span');
      label.textContent = name;
      const value = document.createElement('span');
      value.className = 'value';
      value.textContent = '–';
      li.append(sw, label, value);
      legend.append(li);
      legendValues.push(value);
    });
  }

  /** @type {any} */
  let chartLatest = null;
  const chartDraw = throttle(() => drawHistory(chartLatest), CHART_EVERY_MS);
  // history: {channels, data} with 1 + channels.length floats per point (step first). now: draw
  // at once (paused, single steps, a resize); else at most every CHART_EVERY_MS.
  function chart(history, now = true) {
    chartLatest = history;
    if (now) chartDraw.now();
    else chartDraw.request();
  }

  function drawHistory(history) {
    const hook = /** @type {any} */ (window).__genlab;   // test hook: how often the chart was drawn
    if (hook) hook.chartDraws = (hook.chartDraws ?? 0) + 1;
    const { channels, data } = history;
    if (channels.join(',') !== legendKey) buildLegend(channels);
    const fit = fitCanvas(el('cv-chart'));
    if (!fit) return;
    const series = channels.map((name, i) => ({ index: i + 1, name: channelLabel(name), color: COLORS.series[i % COLORS.series.length] }));
    const last = drawChart(fit.ctx, fit.w, fit.h, data, series, { stride: 1 + channels.length });
    last.forEach((v, i) => { if (legendValues[i]) setIfChanged(legendValues[i], fmt(v)); });
  }

  // The metrics panel: rows built when the set of metrics changes (a new run, IWAE figures that
  // arrive later), else each value written in place — a rebuild every evaluation re-laid out and
  // re-shaped the whole panel (~13 ms on two busy cores) and took the help buttons out.
  let metricKeys = '';
  /** @type {Map<string, HTMLElement>} */
  const metricValues = new Map();
  function metrics(m, step, ms) {
    const rows = metricRows(m);
    const keys = rows.map((r) => r.key).join(',');
    if (keys === metricKeys) {
      for (const { key, text } of rows) setIfChanged(/** @type {HTMLElement} */ (metricValues.get(key)), text);
    } else {
      metricKeys = keys;
      metricValues.clear();
      metricsList.replaceChildren(...rows.map(({ key, label, text }) => {
        const div = document.createElement('div');
        div.dataset.metric = key;
        const dt = document.createElement('dt');
        if (label === key) dt.textContent = key;
        else setText(dt, `metric.${key}`);
        const dd = document.createElement('dd');
        const value = document.createElement('span');
        value.className = 'metric-value';
        value.textContent = text;
        dd.append(value);
        metricValues.set(key, value);
        div.append(dt, dd);
        return div;
      }));
    }
    setText(metricsNote, 'metrics.note_at', { step, ms: Math.round(ms) });
  }

  // text: an already translated message, or nothing for the default note.
  function clearMetrics(text = '') {
    metricKeys = '';
    metricValues.clear();
    metricsList.replaceChildren();
    if (text) metricsNote.textContent = text;
    else setText(metricsNote, 'page.computed_every_few_seconds');
  }

  // A visible (not announced) download bar: progress(fraction, text), or progress(null) to hide.
  function progress(fraction, text) {
    const box = el('download');
    box.hidden = fraction === null;
    if (fraction === null) return;
    /** @type {HTMLProgressElement} */ (/** @type {unknown} */ (el('download-bar'))).value = Math.max(0, Math.min(1, fraction));
    el('download-label').textContent = text;
  }

  // After a language switch: the legend is built again with the channels' new names.
  function relabel() {
    legendKey = '';
  }

  return { readout, announce, announceStats, announcePart, resetChart, chart, metrics, clearMetrics, progress, relabel };
}
