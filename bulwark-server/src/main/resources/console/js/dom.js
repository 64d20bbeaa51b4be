// Small DOM helpers. Text always goes in as text nodes, never as HTML, so nothing the API returns
// can become markup or script.

/** Builds an element: h('a', {href: '#/x', class: 'c'}, 'text', child). */
export function h(tag, attrs, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

/** Builds an SVG element (same arguments as h). */
export function s(tag, attrs, ...children) {
  return fill(document.createElementNS('http://www.w3.org/2000/svg', tag), attrs, children);
}

function fill(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) {
      continue;
    }
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (v === true) {
      el.setAttribute(k, '');
    } else {
      el.setAttribute(k, String(v));
    }
  }
  for (const c of children.flat(Infinity)) {
    if (c !== null && c !== undefined && c !== false) {
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }
  return el;
}

/**
 * Replaces a live region's content and keeps keyboard focus: the element that had focus is found
 * again in the new content by its data-key, so polling never throws a keyboard user out.
 */
export function replaceLive(container, ...nodes) {
  const active = document.activeElement;
  const key = active && container.contains(active) ? active.getAttribute('data-key') : null;
  container.replaceChildren(...nodes);
  if (key) {
    const again = container.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (again) {
      again.focus();
    }
  }
}

/** A table with a caption, column headings and rows (arrays of cells). */
export function table(attrs, caption, headings, rows, empty) {
  const body = rows.length
    ? rows.map((r) => h('tr', {}, r.map((c, i) => (i === 0 ? h('th', {scope: 'row'}, c) : h('td', {}, c)))))
    : [h('tr', {}, h('td', {colspan: headings.length, class: 'empty'}, empty || 'None.'))];
  return h('div', {class: 'scroll'}, h('table', attrs,
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headings.map((t) => h('th', {scope: 'col'}, t)))),
    h('tbody', {}, body)));
}

/** A small coloured label whose text says the state (colour is never the only signal). */
export function badge(text, kind) {
  return h('span', {class: `badge ${kind || ''}`}, text);
}

/** "12 s", "4 min", "3 h", "2 d". */
export function ago(ms) {
  if (ms === null || ms === undefined || ms < 0) {
    return '—';
  }
  const sec = Math.floor(ms / 1000);
  if (sec < 120) {
    return `${sec} s`;
  }
  if (sec < 7200) {
    return `${Math.floor(sec / 60)} min`;
  }
  if (sec < 172800) {
    return `${Math.floor(sec / 3600)} h`;
  }
  return `${Math.floor(sec / 86400)} d`;
}

/** A ledger time as local date and time, in a <time> element. */
export function time(ms) {
  if (ms === null || ms === undefined) {
    return '—';
  }
  const d = new Date(ms);
  return h('time', {datetime: d.toISOString()}, d.toLocaleString());
}

/** "v7 / g12". */
export function pointer(p) {
  return p ? `v${p.version} / g${p.generation}` : '—';
}
