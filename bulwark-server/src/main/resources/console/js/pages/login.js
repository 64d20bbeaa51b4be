// Sign in with an API token. The token is checked with GET /api/v1/whoami before it is kept.

import {h} from '../dom.js';
import {signIn} from '../api.js';

export const TITLE = 'Sign in';

export function mount(root, done) {
  const error = h('p', {id: 'login-error', class: 'problem', role: 'alert', hidden: true});
  const input = h('input', {id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true,
    spellcheck: 'false', 'aria-describedby': 'token-help'});
  const form = h('form', {id: 'login-form', class: 'card narrow'},
    h('h1', {}, 'Sign in'),
    h('label', {for: 'token'}, 'API token'),
    input,
    h('p', {id: 'token-help', class: 'hint'},
      'A bearer token from the server (bulwark up writes one per role to <data-dir>/api/tokens.properties). ',
      'It stays in this browser tab only and is sent with each request.'),
    error,
    h('button', {type: 'submit', id: 'login-submit'}, 'Sign in'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.hidden = true;
    try {
      await signIn(input.value.trim());
      done();
    } catch (e) {
      error.textContent = e.status === 401 ? 'This token is not accepted by the server.' : e.message;
      error.hidden = false;
      input.focus();
    }
  });
  root.replaceChildren(form);
  input.focus();
  return {};
}
