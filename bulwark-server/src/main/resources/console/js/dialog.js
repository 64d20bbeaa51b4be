// The confirmation dialog every action goes through: it says what will happen and asks for the
// reason that goes into the audit chain. Escape or Cancel closes it without acting.

import {h} from './dom.js';

/**
 * Shows the dialog; resolves to {reason, form} when confirmed, or null when cancelled. `extra` is
 * an optional element (e.g. a field) shown above the reason.
 */
export function confirmAction({title, text, verb, extra}) {
  const dialog = document.getElementById('confirm-dialog');
  const form = document.getElementById('confirm-form');
  const reason = document.getElementById('confirm-reason');
  const ok = document.getElementById('confirm-ok');
  const cancel = document.getElementById('confirm-cancel');
  const opener = document.activeElement;
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-extra').replaceChildren(extra || h('span', {}));
  ok.textContent = verb;
  reason.value = '';
  return new Promise((resolve) => {
    const finish = (value) => {
      form.removeEventListener('submit', onSubmit);
      cancel.removeEventListener('click', onCancel);
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) {
        dialog.close();
      }
      const key = opener && opener.getAttribute ? opener.getAttribute('data-key') : null;
      const back = key ? document.querySelector(`[data-key="${CSS.escape(key)}"]`) : opener;
      if (back && back.focus) {
        back.focus();
      }
      resolve(value);
    };
    const onSubmit = (ev) => {
      ev.preventDefault();
      if (!reason.value.trim()) {
        reason.focus();
        return;
      }
      finish({reason: reason.value.trim(), form});
    };
    const onCancel = (ev) => {
      ev.preventDefault();
      finish(null);
    };
    form.addEventListener('submit', onSubmit);
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('cancel', onCancel);
    dialog.showModal();
    reason.focus();
  });
}
