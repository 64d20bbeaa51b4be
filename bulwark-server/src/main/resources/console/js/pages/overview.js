// Overview: the ledger peers per AZ, each service's pointer and DNS state, pending approvals and
// operator pages, from one GET /api/v1/overview per refresh.

import {h, table, badge, ago, time, pointer, replaceLive} from '../dom.js';
import {get, seg} from '../api.js';

export const TITLE = 'Overview';

const STATE_KIND = {IN_SYNC: 'ok', BEHIND: 'warn', DIVERGED: 'bad', NO_PLAN: '', UNREADABLE: 'bad'};

export function mount(root) {
  const live = h('div', {id: 'overview-live'}, h('p', {}, 'Loading…'));
  root.replaceChildren(h('h1', {}, 'Overview'), live);
  return {
    async refresh() {
      const o = await get('/api/v1/overview');
      replaceLive(live, ...render(o));
    },
  };
}

function render(o) {
  const c = o.cluster;
  const now = c.ledger && c.ledger.available ? c.ledger.nowMillis : Date.now();
  return [
    h('section', {'aria-labelledby': 'h-peers'},
      h('h2', {id: 'h-peers'}, 'Ledger peers'),
      table({id: 'peers'}, 'One Raft peer per AZ; two of three commit.',
        ['AZ', 'Address', 'Role', 'Reachable', 'Applied index'],
        c.peers.map((p) => [p.az, p.address, p.leader ? badge('leader', 'ok') : 'follower',
          p.reachable ? badge('reachable', 'ok') : badge('unreachable', 'bad'),
          p.appliedIndex === null ? '—' : p.appliedIndex])),
      c.peersError ? h('p', {class: 'problem'}, c.peersError) : null,
      ledgerLine(c),
      c.pauses && c.pauses.length
        ? h('p', {id: 'pauses'}, badge('paused', 'warn'), ' ',
          c.pauses.map((p) => `${p.scope}${p.name ? ' ' + p.name : ''} (${p.reason})`).join('; '))
        : null),
    h('section', {'aria-labelledby': 'h-services'},
      h('h2', {id: 'h-services'}, 'Services'),
      table({id: 'services'}, 'Pointer, age of the last pointer move, controls and what DNS publishes now.',
        ['Service', 'Pointer', 'Pointer age', 'Newest plan', 'Last-known-good', 'Controls', 'Endpoints', 'Drift'],
        o.services.map((s) => [
          h('a', {href: `#/plans/${seg(s.id)}`}, s.id),
          pointer(s.pointer),
          s.pointerSinceMillis === null ? '—' : ago(now - s.pointerSinceMillis),
          `g${s.latestGeneration}`,
          s.lastKnownGood === null ? '—' : `g${s.lastKnownGood}`,
          controls(s),
          h('ul', {class: 'plain'}, s.endpointStates.map((e) => h('li', {},
            h('a', {href: `#/endpoint/${seg(s.id)}`}, e.name), ' ', badge(e.state, STATE_KIND[e.state])))),
          s.drift ? badge('drift', 'bad') : badge('none', 'ok'),
        ]))),
    h('section', {'aria-labelledby': 'h-approvals'},
      h('h2', {id: 'h-approvals'}, 'Pending approvals'),
      table({id: 'approvals'}, 'Over-budget steps waiting for an approver (Actions page).',
        ['Id', 'Service', 'Plan', 'Why', 'Requested by', 'Waiting'],
        o.approvals.map((a) => [String(a.id), a.service, `g${a.generation}`, a.reason, a.requestedBy,
          ago(now - a.requestedAtMillis)]), 'No step is waiting.')),
    h('section', {'aria-labelledby': 'h-pages'},
      h('h2', {id: 'h-pages'}, 'Operator pages'),
      table({id: 'pages'}, 'Fail-static alerts: the Planner distrusted its health checks and kept last-known-good.',
        ['Event', 'Time', 'Kind', 'Service', 'Detail'],
        o.pages.map((e) => [String(e.id), time(e.timeMillis),
          e.code === 'FAIL_STATIC_PAGE' ? badge('page', 'bad') : badge('cleared', 'ok'), e.subject, e.detail]),
        'No operator page.')),
  ];
}

function ledgerLine(c) {
  if (!c.ledger || !c.ledger.available) {
    return h('p', {class: 'problem', id: 'ledger-state'}, 'Ledger unavailable: ', c.ledger ? c.ledger.error : '?');
  }
  const a = c.authority;
  return h('p', {id: 'ledger-state'}, `Leader ${c.leader || 'none'} · last log index ${c.ledger.lastLogIndex} · `,
    `${c.ledger.auditEvents} audit events · authority `,
    a ? `${a.holder} (epoch ${a.epoch}${a.expired ? ', expired' : ''})` : 'none');
}

function controls(s) {
  const out = [];
  if (s.paused) {
    out.push(badge('paused', 'warn'));
  }
  if (s.pinned) {
    out.push(badge('pinned', 'warn'));
  }
  return out.length ? out : 'automatic';
}
