// Actions: pause/resume (global, per AZ, per service), pin/unpin, roll back, approve/reject,
// promote the shadow controller.
// Each goes through a confirmation with a reason; buttons the role can't use are disabled and
// say which role they need; the server checks the role again on every call.

import {h, table, badge, pointer, replaceLive} from '../dom.js';
import {get, post, seg, can, identity} from '../api.js';
import {confirmAction} from '../dialog.js';

export const TITLE = 'Actions';

export function mount(root) {
  const result = h('div', {id: 'action-result', role: 'status', 'aria-live': 'polite'});
  const live = h('div', {id: 'actions-live'}, h('p', {}, 'Loading…'));
  const who = identity();
  root.replaceChildren(h('h1', {}, 'Actions'),
    h('p', {id: 'role-note'}, `Your role is ${who.role}. `, roleNote()),
    result, live);

  const act = (spec) => async () => {
    const extraField = spec.extra ? spec.extra() : null;
    const ok = await confirmAction({title: spec.title, text: spec.text, verb: spec.verb, extra: extraField});
    if (!ok) {
      return;
    }
    const body = {reason: ok.reason, ...(spec.body ? spec.body(ok.form) : {})};
    result.replaceChildren(h('p', {}, `${spec.verb}…`));
    try {
      const r = await post(spec.path, body);
      result.replaceChildren(r.status ? h('p', {class: 'done'}, badge('done', 'ok'), ` ${r.status}: ${r.message}`)
        : h('p', {class: 'done'}, badge('done', 'ok'),
          ` ${r.action}: ${r.code} (audit event ${r.eventId}, log index ${r.logIndex})`,
          r.pointer ? `; pointer now ${pointer(r.pointer)}` : ''));
    } catch (e) {
      result.replaceChildren(problem(e));
    }
    await refresh();
  };

  const button = (key, label, needed, spec) => h('button', {type: 'button', 'data-key': key, 'data-action': key,
    disabled: !can(needed), title: can(needed) ? null : `Needs role ${needed} or higher`,
    'aria-describedby': can(needed) ? null : 'role-note', onclick: act(spec)}, label);

  async function refresh() {
    const o = await get('/api/v1/overview');
    const pauses = o.cluster.pauses || [];
    const paused = (scope, name) => pauses.some((p) => p.scope === scope && (p.name || null) === (name || null));
    const pauseButton = (scope, name, label) => {
      const on = paused(scope, name);
      const verb = on ? 'Resume' : 'Pause';
      const what = scope === 'global' ? 'all automation' : `${scope} ${name}`;
      return button(`${on ? 'resume' : 'pause'}-${scope}:${name || ''}`, `${verb} ${label}`.trim(), 'operator', {
        title: `${verb} ${what}?`,
        text: on ? `Automation for ${what} starts again: proposals, votes and automated pointer moves.`
          : `Automation for ${what} stops (proposals, votes, automated pointer moves) until someone resumes it. `
            + 'Operators\' own actions still work.',
        verb, path: on ? '/api/v1/resume' : '/api/v1/pause',
        body: () => (scope === 'global' ? {scope} : {scope, name}),
      });
    };
    const azs = o.cluster.peers.map((p) => p.az);
    replaceLive(live,
      h('section', {'aria-labelledby': 'h-auto'},
        h('h2', {id: 'h-auto'}, 'Automation'),
        h('p', {class: 'buttons'}, pauseButton('global', null, 'everything'),
          azs.map((az) => pauseButton('az', az, az)))),
      h('section', {'aria-labelledby': 'h-svc'},
        h('h2', {id: 'h-svc'}, 'Services'),
        table({id: 'service-actions'}, 'Pause stops automation for the service; pin holds its pointer; roll back '
          + 're-publishes a stored plan under a new, higher version.',
        ['Service', 'Pointer', 'State', 'Actions'],
        o.services.map((s) => [s.id, pointer(s.pointer),
          [s.paused ? badge('paused', 'warn') : badge('running', 'ok'), ' ', s.pinned ? badge('pinned', 'warn') : ''],
          h('div', {class: 'buttons'},
            pauseButton('service', s.id, ''),
            button(`${s.pinned ? 'unpin' : 'pin'}:${s.id}`, s.pinned ? 'Unpin' : 'Pin', 'operator', {
              title: `${s.pinned ? 'Unpin' : 'Pin'} ${s.id}?`,
              text: s.pinned ? `The pointer of ${s.id} may move again.`
                : `The pointer of ${s.id} stays at ${pointer(s.pointer)} until someone unpins it.`,
              verb: s.pinned ? 'Unpin' : 'Pin', path: `/api/v1/services/${seg(s.id)}/${s.pinned ? 'unpin' : 'pin'}`,
            }),
            button(`rollback:${s.id}`, 'Roll back', 'operator', {
              title: `Roll back ${s.id}?`,
              text: `Re-publishes a stored plan of ${s.id} as a new generation with a higher version. Leave the `
                + `generation empty for the last-known-good (${s.lastKnownGood === null ? 'none yet'
                  : 'g' + s.lastKnownGood}).`,
              verb: 'Roll back', path: `/api/v1/services/${seg(s.id)}/rollback`,
              extra: () => h('p', {}, h('label', {for: 'confirm-generation'}, 'Generation (optional)'),
                h('input', {id: 'confirm-generation', name: 'toGeneration', type: 'number', min: 1,
                  max: s.latestGeneration})),
              body: (form) => {
                const g = form.querySelector('#confirm-generation').value;
                return g ? {toGeneration: Number(g)} : {};
              },
            })),
        ]))),
      h('section', {'aria-labelledby': 'h-ctl'},
        h('h2', {id: 'h-ctl'}, 'Control plane'),
        h('p', {id: 'authority-note'}, o.cluster.authority
          ? `Primary controller: ${o.cluster.authority.holder} (epoch ${o.cluster.authority.epoch}). `
          : 'No controller holds the authority now. ',
        'Promoting makes this server\'s shadow controller the primary; the current primary is fenced from '
          + 'that log index on and becomes the shadow.'),
        h('p', {class: 'buttons'}, button('promote', 'Promote the shadow', 'approver', {
          title: 'Promote the shadow controller?',
          text: 'A forced authority grant: the acting primary\'s commands and DNS writes are refused from now on. '
            + 'Use it when the primary is wrong or stuck, not merely slow.',
          verb: 'Promote', path: '/api/v1/authority/promote',
        }))),
      h('section', {'aria-labelledby': 'h-appr'},
        h('h2', {id: 'h-appr'}, 'Pending approvals'),
        table({id: 'approval-actions'}, 'Over-budget steps; approving releases the step, rejecting discards it. '
          + 'Nobody may approve a step they requested (two-person rule).',
        ['Id', 'Service', 'Plan', 'Why', 'Requested by', 'Actions'],
        o.approvals.map((a) => [String(a.id), a.service, `g${a.generation}`, a.reason, a.requestedBy,
          h('div', {class: 'buttons'},
            button(`approve:${a.id}`, 'Approve', 'approver', {
              title: `Approve step ${a.id} of ${a.service}?`,
              text: `The pointer of ${a.service} moves to g${a.generation}: ${a.reason}`,
              verb: 'Approve', path: `/api/v1/approvals/${a.id}/approve`,
            }),
            button(`reject:${a.id}`, 'Reject', 'approver', {
              title: `Reject step ${a.id} of ${a.service}?`,
              text: `The step to g${a.generation} is discarded; the pointer stays where it is.`,
              verb: 'Reject', path: `/api/v1/approvals/${a.id}/reject`,
            }))]), 'No step is waiting.')));
  }
  return {refresh};
}

function roleNote() {
  if (can('approver')) {
    return 'You may use every action below (approvals never for steps you requested yourself).';
  }
  if (can('operator')) {
    return 'You may pause, resume, pin, unpin and roll back; approving and promoting need role approver.';
  }
  return 'Actions need role operator (approvals: approver); they are shown but disabled.';
}

function problem(e) {
  const p = e.problem || {};
  return h('div', {class: 'problem', role: 'alert'},
    h('p', {}, h('strong', {}, p.title || 'The action failed'), p.status ? ` (HTTP ${p.status}` : '',
      p.code ? `, ${p.code}` : '', p.status ? ')' : ''),
    h('p', {class: 'problem-detail'}, p.detail || e.message));
}
