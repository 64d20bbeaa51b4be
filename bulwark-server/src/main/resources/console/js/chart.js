// A tiny line chart in inline SVG: record count over time, with the plan's count as a second line.

import {s, h} from './dom.js';

const W = 320;
const H = 90;
const PAD = 22;

/**
 * Draws samples [{t, dns, plan}] (t in ms). The latest values are also given as text, so the
 * chart is never the only way to read them.
 */
export function countChart(samples, label) {
  const max = Math.max(1, ...samples.map((p) => Math.max(p.dns ?? 0, p.plan ?? 0)));
  const t0 = samples.length ? samples[0].t : 0;
  const span = samples.length > 1 ? samples[samples.length - 1].t - t0 : 1;
  const x = (t) => PAD + ((t - t0) / span) * (W - PAD - 4);
  const y = (v) => H - PAD + 4 - (v / max) * (H - PAD - 4);
  const line = (key) => samples.filter((p) => p[key] !== null && p[key] !== undefined)
    .map((p) => `${x(p.t).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ');
  const last = samples[samples.length - 1];
  return h('figure', {class: 'chart'},
    s('svg', {viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': label},
      s('line', {x1: PAD, y1: y(0), x2: W - 4, y2: y(0), class: 'axis'}),
      s('line', {x1: PAD, y1: y(max), x2: PAD, y2: y(0), class: 'axis'}),
      s('text', {x: 2, y: y(max) + 4, class: 'tick'}, String(max)),
      s('text', {x: 2, y: y(0), class: 'tick'}, '0'),
      s('polyline', {points: line('plan'), class: 'plan-line'}),
      s('polyline', {points: line('dns'), class: 'dns-line'})),
    h('figcaption', {},
      `Records over the last ${Math.round(span / 1000)} s (${samples.length} samples): `,
      h('span', {class: 'legend dns'}, `DNS now ${last && last.dns !== null ? last.dns : '—'}`), ', ',
      h('span', {class: 'legend plan'}, `plan ${last && last.plan !== null ? last.plan : '—'}`)));
}
