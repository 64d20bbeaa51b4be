// Plans: a service's generations (newest first) with proposer and votes per AZ, and the diff
// between any two of them.

import {h, table, badge, time, replaceLive} from '../dom.js';
import {get, seg} from '../api.js';
import {pickService} from './picker.js';

export const TITLE = 'Plans';

/** Newest generations listed. */
const SHOWN = 100;

export function mount(root, args) {
  let service = args[0];
  const picker = h('div', {});
  const fromSel = h('select', {id: 'diff-from', name: 'from'});
  const toSel = h('select', {id: 'diff-to', name: 'to'});
  const result = h('div', {id: 'diff-result', role: 'status', 'aria-live': 'polite'});
  const form = h('form', {id: 'diff-form', class: 'inline'},
    h('label', {for: 'diff-from'}, 'From'), fromSel,
    h('label', {for: 'diff-to'}, 'to'), toSel,
    h('button', {type: 'submit', id: 'diff-submit'}, 'Show diff'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const d = await get(`/api/v1/services/${seg(service)}/plans/${fromSel.value}/diff/${toSel.value}`);
      result.replaceChildren(renderDiff(d));
    } catch (e) {
      result.replaceChildren(h('p', {class: 'problem'}, e.message));
    }
  });
  const live = h('div', {id: 'plans-live'}, h('p', {}, 'Loading…'));
  root.replaceChildren(h('h1', {}, 'Plans'), picker,
    h('section', {'aria-labelledby': 'h-diff'}, h('h2', {id: 'h-diff'}, 'Compare two generations'), form, result),
    live);
  return {
    async refresh() {
      const list = await pickService(picker, 'plans', service);
      service = list.chosen;
      const summary = list.services.find((s) => s.id === service);
      if (!summary) {
        replaceLive(live, h('p', {}, service ? `No service ${service}.` : 'No service is registered.'));
        return;
      }
      const from = Math.max(1, summary.latestGeneration - SHOWN + 1);
      const page = await get(`/api/v1/services/${seg(service)}/plans?from=${from}&limit=${SHOWN}`);
      const plans = page.plans.slice().reverse();
      fillOptions(fromSel, plans, plans.length > 1 ? plans[1].generation : null);
      fillOptions(toSel, plans, plans.length ? plans[0].generation : null);
      replaceLive(live, h('section', {'aria-labelledby': 'h-gens'},
        h('h2', {id: 'h-gens'}, `Generations of ${service}`),
        table({id: 'plans'}, `Newest first; the pointer is at g${summary.pointer.generation}.`,
          ['Generation', 'State', 'Proposed by', 'Proposed at', 'Targets', 'Votes', 'Note'],
          plans.map((p) => [
            `g${p.generation}`,
            p.generation === summary.pointer.generation ? [badge('active', 'ok'), ' ', p.state] : p.state,
            p.proposedBy,
            time(p.proposedAtMillis),
            p.targetCount === null ? 'purged' : String(p.targetCount),
            p.votes.length ? h('ul', {class: 'plain'}, p.votes.map((v) => h('li', {},
              badge(v.approve ? 'approve' : 'reject', v.approve ? 'ok' : 'bad'), ` ${v.az} (${v.actor})`))) : 'none',
            p.rollback ? `rollback: content of g${p.rollback.source}, replaced g${p.rollback.replaced}` : '',
          ]), 'No plan yet.')));
    },
  };
}

/** Refills a select with generations, keeping the user's choice if it still exists. */
function fillOptions(sel, plans, dflt) {
  const keep = sel.value || (dflt === null ? '' : String(dflt));
  const want = plans.map((p) => String(p.generation)).join(',');
  if (sel.dataset.options !== want) {
    sel.replaceChildren(...plans.map((p) => h('option', {value: p.generation}, `g${p.generation}`)));
    sel.dataset.options = want;
  }
  if (plans.some((p) => String(p.generation) === keep)) {
    sel.value = keep;
  }
}

function renderDiff(d) {
  const list = (ts) => ts.length ? h('ul', {class: 'plain'}, ts.map((t) => h('li', {},
    t.from ? `${t.address}: weight ${t.from.weight}, ${t.from.az} → weight ${t.to.weight}, ${t.to.az}`
      : `${t.address} (weight ${t.weight}, ${t.az})`))) : '—';
  return table({id: 'diff'}, `From g${d.from} to g${d.to}`, ['Endpoint', 'Added', 'Removed', 'Changed'],
    d.endpoints.map((e) => [e.endpoint, list(e.added), list(e.removed), list(e.changed)]),
    'The two generations publish the same targets.');
}
