// Dismissible notices (role="alert"): clamped link values, crashes, divergence, failed
// downloads. Text only — every message is inserted with textContent, never as HTML.
import { t } from './i18n.js';

const MAX_NOTICES = 8;

export function createNotices(container) {
  const byKey = new Map();

  function dismiss(el) {
    el.remove();
    for (const [k, v] of byKey) if (v === el) byKey.delete(k);
  }

  // Shows `text` (a string, or [heading, ...lines]); a notice with the same `key` replaces the
  // previous one. kind: info | warn | error; action: { label, run } adds a button.
  /** @param {string | string[]} text */
  function show(text, { kind = 'warn', key = null, action = null } = {}) {
    if (key && byKey.has(key)) byKey.get(key).remove();
    while (container.children.length >= MAX_NOTICES) dismiss(container.firstElementChild);
    const el = document.createElement('div');
    el.className = `notice notice-${kind}`;
    el.setAttribute('role', kind === 'info' ? 'status' : 'alert');
    const p = document.createElement('p');
    if (Array.isArray(text)) {
      // A heading line and a list (e.g. every problem of one link, none dropped).
      p.textContent = text[0];
      const ul = document.createElement('ul');
      for (const line of text.slice(1)) {
        const li = document.createElement('li');
        li.textContent = line;
        ul.append(li);
      }
      p.append(ul);
    } else {
      p.textContent = text;
    }
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'notice-close';
    b.setAttribute('aria-label', t('notice.dismiss'));
    b.dataset.i18nAttr = 'aria-label:notice.dismiss';
    b.textContent = '×';
    b.addEventListener('click', () => dismiss(el));
    if (action) {
      // One button that acts on the notice (e.g. Undo), then dismisses it.
      const act = document.createElement('button');
      act.type = 'button';
      act.className = 'btn btn-small notice-action';
      act.textContent = action.label;
      act.addEventListener('click', () => {
        dismiss(el);
        action.run();
      });
      p.append(' ', act);
    }
    el.append(p, b);
    container.append(el);
    if (key) byKey.set(key, el);
    return el;
  }

  function clear(key) {
    if (key === undefined) {
      container.replaceChildren();
      byKey.clear();
    } else if (byKey.has(key)) {
      dismiss(byKey.get(key));
    }
  }

  return { show, clear, count: () => container.children.length };
}
