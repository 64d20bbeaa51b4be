// Audit: the hash-linked chain, filterable by service, actor and code, and a verify button.

import {h, table, badge, time, replaceLive} from '../dom.js';
import {get} from '../api.js';

export const TITLE = 'Audit';

/** Events per page. */
const PAGE = 100;

export function mount(root) {
  const field = (id, label, placeholder) => [h('label', {for: id}, label),
    h('input', {id, name: id, type: 'text', placeholder, autocomplete: 'off', maxlength: 128})];
  const form = h('form', {id: 'audit-form', class: 'inline', role: 'search'},
    field('f-service', 'Service', 'dynamodb'), field('f-actor', 'Actor', 'api:operator'),
    field('f-code', 'Code', 'POINTER_ADVANCED'),
    h('button', {type: 'submit', id: 'audit-apply'}, 'Filter'),
    h('button', {type: 'button', id: 'audit-clear'}, 'Clear'));
  const verify = h('button', {type: 'button', id: 'audit-verify'}, 'Verify the chain');
  const verdict = h('div', {id: 'verify-result', role: 'status', 'aria-live': 'polite'});
  const live = h('div', {id: 'audit-live'}, h('p', {}, 'Loading…'));
  const more = h('p', {});
  root.replaceChildren(h('h1', {}, 'Audit chain'), form,
    h('p', {}, verify, ' ', verdict), live, more);

  let filters = {};
  let from = null;
  const read = (id) => form.querySelector(`#${id}`).value.trim();
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    filters = {service: read('f-service'), actor: read('f-actor'), code: read('f-code')};
    from = null;
    refresh();
  });
  form.querySelector('#audit-clear').addEventListener('click', () => {
    form.reset();
    filters = {};
    from = null;
    refresh();
  });
  verify.addEventListener('click', async () => {
    verdict.replaceChildren('Verifying…');
    try {
      const v = await get('/api/v1/audit/verify');
      verdict.replaceChildren(v.intact
        ? h('span', {}, badge('intact', 'ok'), ` ${v.eventsChecked} events checked: ${v.message}`)
        : h('span', {}, badge('broken', 'bad'), ` first bad event ${v.firstBadEventId}: ${v.message}`));
    } catch (e) {
      verdict.replaceChildren(h('span', {class: 'problem'}, e.message));
    }
  });

  async function refresh() {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) {
      if (v) {
        q.set(k, v);
      }
    }
    const filtered = [...q.keys()].length > 0;
    let start = from;
    if (start === null) {
      if (filtered) {
        start = 0;
      } else {
        const c = await get('/api/v1/cluster');
        start = c.ledger && c.ledger.available ? Math.max(0, c.ledger.auditEvents - PAGE) : 0;
      }
    }
    q.set('from', start);
    q.set('limit', PAGE);
    const page = await get(`/api/v1/audit?${q}`);
    const events = filtered ? page.events : page.events.slice().reverse();
    replaceLive(live, table({id: 'audit'}, filtered
      ? `Matching events from id ${start} on, oldest first.` : 'The newest events, newest first.',
    ['Id', 'Time', 'Actor', 'Action', 'Subject', 'Result', 'Detail'],
    events.map((e) => [String(e.id), time(e.timeMillis), e.actor, e.action, e.subject,
      e.accepted ? badge(e.code, 'ok') : badge(e.code, 'bad'), e.detail]),
    filtered ? 'No event matches in this range.' : 'No event yet.'));
    replaceLive(more, filtered && page.next !== null
      ? h('button', {type: 'button', 'data-key': 'audit-next', onclick: () => {
        from = page.next;
        refresh();
      }}, `Next matches after event ${page.next - 1}`)
      : '');
  }
  return {refresh};
}
