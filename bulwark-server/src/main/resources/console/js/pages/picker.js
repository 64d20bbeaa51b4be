// The service links at the top of the per-service pages.

import {h, replaceLive} from '../dom.js';
import {get, seg} from '../api.js';

/**
 * Reads the services, shows a link to `#/<page>/<service>` for each in `container` (the chosen
 * one marked current) and returns {services, chosen}: `wanted`, or the first service if none.
 */
export async function pickService(container, page, wanted) {
  const services = (await get('/api/v1/services')).services;
  const chosen = wanted || (services.length ? services[0].id : null);
  replaceLive(container, h('nav', {'aria-label': 'Services', class: 'picker'}, h('ul', {},
    services.map((s) => h('li', {}, h('a', {href: `#/${page}/${seg(s.id)}`, 'data-key': `svc-${s.id}`,
      'aria-current': s.id === chosen ? 'page' : null}, s.id))))));
  return {services, chosen};
}
