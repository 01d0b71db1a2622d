// The name a person writes under: asked once (kept in localStorage after that), checked by the
// server's rule before it is sent (text.js; the server has the last word), changeable later.

import { el, show } from './dom.js';
import { cleanName, nameProblem } from './text.js';

const NAME_KEY = 'convene.name';

/** The name this browser used before, if the server's rule would still take it; else ''. */
export function rememberedName() {
  let stored = '';
  try { stored = localStorage.getItem(NAME_KEY) || ''; } catch (e) { /* private mode */ }
  return nameProblem(stored) ? '' : stored;
}

/** The server refused it after all: forget it, so that a reload asks again. */
export function forgetName() {
  try { localStorage.removeItem(NAME_KEY); } catch (e) { /* private mode */ }
}

/**
 * Shows the prompt (unless a name is known and this is not a change of name). Resolves with the
 * chosen name, or null when a change of name is cancelled (Cancel, or Escape: see isOpenForChange).
 */
export function askName(current, change = false) {
  const input = el('name-input');
  input.value = current;
  if (current && !change) return Promise.resolve(current);
  show('name-panel', true);
  show('name-cancel', change);
  input.focus();
  return new Promise((resolve) => {
    el('name-cancel').onclick = () => {
      show('name-panel', false);
      resolve(null);
    };
    el('name-form').onsubmit = (e) => {
      e.preventDefault();
      const chosen = cleanName(input.value).slice(0, 60);
      const problem = nameProblem(chosen);
      el('name-error').textContent = problem || '';
      el('name-error').hidden = !problem;
      if (problem) {
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      input.removeAttribute('aria-invalid');
      try { localStorage.setItem(NAME_KEY, chosen); } catch (err) { /* private mode */ }
      show('name-panel', false);
      resolve(chosen);
    };
  });
}

/** Whether the prompt is open to change a name (which Escape may cancel). */
export function isOpenForChange() {
  return !el('name-panel').hidden && !el('name-cancel').hidden;
}
