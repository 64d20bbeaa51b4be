// The console's shell: sign-in state, the hash router and polling. Each page module exports
// mount(root, args) returning {refresh()}; the shell calls refresh() every POLL_MILLIS while the
// page is shown and the tab is visible, never two at once.

import {ApiError, identity, signOut} from './api.js';
import * as overview from './pages/overview.js';
import * as endpoint from './pages/endpoint.js';
import * as plans from './pages/plans.js';
import * as audit from './pages/audit.js';
import * as actions from './pages/actions.js';
import * as login from './pages/login.js';

const POLL_MILLIS = 2000;
const PAGES = {overview, endpoint, plans, audit, actions};

let page = null;
let generation = 0;
let busy = false;

function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const name = parts[0] || 'overview';
  const main = document.getElementById('main');
  generation++;
  const who = identity();
  showIdentity(who);
  if (!who || name === 'login') {
    page = login.mount(main, () => {
      if (name === 'login' || !location.hash) {
        location.hash = '#/overview';
      } else {
        route();
      }
    });
    document.title = 'Sign in · Bulwark console';
    return;
  }
  const module = PAGES[name] || overview;
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.page === (PAGES[name] ? name : 'overview')) {
      a.setAttribute('aria-current', 'page');
    } else {
      a.removeAttribute('aria-current');
    }
  }
  main.replaceChildren();
  page = module.mount(main, parts.slice(1));
  document.title = `${module.TITLE} · Bulwark console`;
  tick();
}

function showIdentity(who) {
  document.getElementById('nav').hidden = !who;
  document.getElementById('who').hidden = !who;
  document.getElementById('whoami').textContent = who ? `Signed in as ${who.name}, role: ${who.role}` : '';
  document.getElementById('whoami').dataset.role = who ? who.role : '';
}

async function tick() {
  if (!page || !page.refresh || busy || document.hidden) {
    return;
  }
  const mine = generation;
  busy = true;
  try {
    await page.refresh();
    if (mine === generation) {
      banner(null);
      document.getElementById('updated').textContent = `Updated ${new Date().toLocaleTimeString()}`;
    }
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      signOut();
      banner('Your token was not accepted any more; sign in again.');
      route();
    } else if (mine === generation) {
      banner(`Could not refresh: ${e.message}`);
    }
  } finally {
    busy = false;
  }
}

function banner(text) {
  const b = document.getElementById('banner');
  b.hidden = !text;
  b.textContent = text || '';
}

document.getElementById('logout').addEventListener('click', () => {
  signOut();
  location.hash = '#/login';
  route();
});
window.addEventListener('hashchange', route);
setInterval(tick, POLL_MILLIS);
route();
