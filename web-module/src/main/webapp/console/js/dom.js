// DOM helpers and formatters. Text from the server is only ever set as text (never parsed as HTML).

/**
 * Creates an element: h('button', {class: 'primary', onclick: fn, 'aria-label': 'x'}, 'text', child, ...).
 * Properties starting with "on" become listeners; "class", "text", "hidden", "disabled", "value" are set directly;
 * anything else is an attribute (null/false: left out). Children: strings, numbers, nodes, arrays, null (skipped).
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'hidden' || k === 'disabled' || k === 'value' || k === 'checked') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let ids = 0;
/** A fresh id for label/aria wiring. */
export function uid(prefix) {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** A table: columns [{label, num?}], rows of cells (strings or nodes); an empty list shows `empty`. */
export function table(columns, rows, empty = 'Nothing to show.', caption = null) {
  if (!rows.length) return h('p', {class: 'muted'}, empty);
  return h('div', {class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption || 'table'},
    h('table', {},
      h('thead', {}, h('tr', {}, columns.map(c => h('th', {scope: 'col', class: c.num ? 'num' : null}, c.label)))),
      h('tbody', {}, rows.map(r => h('tr', r.attrs || {}, (r.cells || r).map((cell, i) =>
        h('td', {class: columns[i] && columns[i].num ? 'num' : null}, cell)))))));
}

/** A definition list of [term, value] pairs (null values show as a dash). */
export function facts(pairs) {
  return h('dl', {class: 'facts'}, pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v === null || v === undefined || v === '' ? '—' : v)]));
}

/** A stat card. */
export function card(label, value, tone = null, id = null) {
  return h('div', {class: 'card' + (tone ? ' ' + tone : ''), 'data-stat': id},
    h('span', {class: 'label'}, label), h('span', {class: 'value'}, value === null || value === undefined ? '—' : value));
}

export function badge(text, tone = null) {
  return h('span', {class: 'badge' + (tone ? ' ' + tone : '')}, text);
}

/** A notice box: kind 'error' | 'warn' | 'na' | null. Errors are announced. */
export function notice(kind, ...text) {
  return h('div', {class: 'notice' + (kind ? ' ' + kind : ''), role: kind === 'error' ? 'alert' : null}, ...text);
}

export const fmt = {
  num(n) {
    return n === null || n === undefined ? '—' : Number(n).toLocaleString('en-US');
  },
  /** A duration in milliseconds, short: 850 ms, 12.4 s, 3 min 20 s, 5 h 2 min, 2 d 3 h. */
  ms(ms) {
    if (ms === null || ms === undefined) return '—';
    const v = Number(ms);
    if (v < 1000) return `${Math.round(v)} ms`;
    if (v < 60000) return `${(v / 1000).toFixed(1)} s`;
    const s = Math.round(v / 1000);
    if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
    if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
    return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
  },
  /** An ISO instant as local date and time with seconds; null → dash. */
  time(iso) {
    if (!iso) return '—';
    const d = new Date(iso);
    return isNaN(d) ? String(iso) : d.toLocaleString('en-GB', {hour12: false});
  },
  /** An epoch-seconds value as local date and time. */
  epoch(seconds) {
    return seconds ? fmt.time(new Date(seconds * 1000).toISOString()) : '—';
  },
  bytes(n) {
    if (n === null || n === undefined) return '—';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let v = Number(n);
    let i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i += 1; }
    return `${v < 10 && i ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
  },
  pct(ratio) {
    return ratio === null || ratio === undefined || isNaN(ratio) ? '—' : `${(ratio * 100).toFixed(1)} %`;
  },
  json(v) {
    if (v === null || v === undefined) return 'null';
    return typeof v === 'string' ? v : JSON.stringify(v, null, 2);
  },
};

/** Tenant ids and names of queues, streams, users and resources: the API's rule. */
export const NAME_RULE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const NAME_RULE_TEXT = '1 to 64 letters, digits, "_" or "-", starting with a letter or digit';

function focusKey(el) {
  return el.getAttribute('data-key') || el.getAttribute('href') || el.id || null;
}

/**
 * Re-renders `container` with build(data) only when `data` changed since its last render, and gives the keyboard
 * focus back to the element with the same key (data-key, href or id) if it was inside: a refresh never steals it.
 */
export function update(container, data, build) {
  const json = JSON.stringify(data);
  if (container.dataset.rendered === '1' && container.lastJson === json) return;
  container.lastJson = json;
  container.dataset.rendered = '1';
  const active = document.activeElement;
  const key = active && active !== document.body && container.contains(active) ? focusKey(active) : null;
  fill(container, build(data));
  if (key) {
    for (const el of container.querySelectorAll('[data-key], [href], [id]')) {
      if (focusKey(el) === key) {
        el.focus({preventScroll: true});
        break;
      }
    }
  }
}

/** Forgets what update() rendered last, so the next update renders again. */
export function invalidate(container) {
  container.dataset.rendered = '0';
}
