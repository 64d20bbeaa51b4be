// Endpoint: per endpoint of a service, what DNS publishes now (read over the wire by the server)
// next to the ledger's plan, the marker, and a chart of the record count while the page is open.

import {h, table, badge, time, pointer, replaceLive} from '../dom.js';
import {get, seg} from '../api.js';
import {countChart} from '../chart.js';
import {pickService} from './picker.js';

export const TITLE = 'Endpoints';

/** Samples kept per endpoint: at one refresh every 2 s, about five minutes. */
const MAX_SAMPLES = 150;

const STATE_TEXT = {
  IN_SYNC: 'DNS serves the plan and the marker names the current pointer.',
  BEHIND: 'The marker is older than the pointer: Enactors have not written this endpoint yet.',
  DIVERGED: 'The marker is current (or missing) but the records differ: drift the Auditor repairs.',
  NO_PLAN: 'The pointer has never moved; nothing is expected yet.',
  UNREADABLE: 'DNS did not answer.',
};

export function mount(root, args) {
  const samples = new Map();
  const picker = h('div', {});
  const live = h('div', {id: 'endpoint-live'}, h('p', {}, 'Loading…'));
  root.replaceChildren(h('h1', {}, 'Endpoints: DNS now and the ledger\'s plan'), picker, live);
  let service = args[0];
  return {
    async refresh() {
      service = (await pickService(picker, 'endpoint', service)).chosen;
      if (!service) {
        replaceLive(live, h('p', {}, 'No service is registered.'));
        return;
      }
      const page = await get(`/api/v1/services/${seg(service)}/endpoints?limit=200`);
      const now = Date.now();
      for (const e of page.endpoints) {
        const series = samples.get(e.name) || [];
        series.push({t: now, dns: e.dns.addresses ? e.dns.addresses.length : null, plan: e.ledger.targets.length});
        if (series.length > MAX_SAMPLES) {
          series.shift();
        }
        samples.set(e.name, series);
      }
      replaceLive(live, h('p', {}, `Service ${page.service}, pointer ${pointer(page.pointer)}.`),
        ...page.endpoints.map((e) => render(e, samples.get(e.name))));
    },
  };
}

function render(e, series) {
  const planned = new Map(e.ledger.targets.map((t) => [t.address, t]));
  const published = e.dns.addresses || [];
  const all = [...new Set([...planned.keys(), ...published])].sort();
  const rows = all.map((a) => {
    const t = planned.get(a);
    const inDns = published.includes(a);
    return [a, t ? `weight ${t.weight}, ${t.az}` : badge('not in plan', 'bad'),
      inDns ? badge('published', 'ok') : badge('not published', t ? 'warn' : '')];
  });
  const applied = e.applied;
  return h('section', {class: 'card endpoint', 'data-endpoint': e.name, 'aria-label': e.name},
    h('h2', {}, e.name, ' ', badge(e.state, e.drift ? 'bad' : e.state === 'IN_SYNC' ? 'ok' : '')),
    h('p', {class: 'hint'}, STATE_TEXT[e.state] || ''),
    h('div', {class: 'columns'},
      h('div', {},
        table({class: 'compare'}, `Plan g${e.ledger.generation} (v${e.ledger.version}) against DNS`,
          ['Address', 'In the plan', 'In DNS'], rows, 'No records planned or published.'),
        h('h3', {}, 'DNS answer now'),
        e.dns.error
          ? h('p', {class: 'problem'}, e.dns.error)
          : h('ul', {class: 'dns-addresses plain'}, published.map((a) => h('li', {}, a))),
        h('dl', {class: 'facts'},
          h('dt', {}, 'Marker'), h('dd', {}, h('code', {class: 'marker'}, e.dns.marker || 'none')),
          h('dt', {}, 'Last applied'), h('dd', {}, applied
            ? [`v${applied.version} / g${applied.generation} by ${applied.az} at `, time(applied.atMillis)]
            : 'never'))),
      countChart(series, `Record count of ${e.name} over time`)));
}
