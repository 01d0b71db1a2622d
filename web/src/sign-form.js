// The sign form's behaviour, for the public page and the kiosk. The form is
// plain HTML that posts by itself without JavaScript; with it, this module
// names the countries in the page's language, checks the fields as the server
// does, sends JSON with fetch and shows each error beside its field
// (aria-invalid, aria-describedby), in the interface's language: the server's
// field errors are said from their reason codes, never from its English text.
// What people typed only ever goes in through textContent.

import { lang, t } from './i18n.js';
import {
  checkSignature, countryOptions, DISPLAY_CHOICES, displayText, fieldMessage, initials, isolate, refusalText,
} from './sign.js';

const FIELDS = ['name', 'email', 'country', 'city', 'comment', 'display'];

/**
 * @param {object} o
 * @param {HTMLFormElement} o.form  the form; its fields are named as the API's, its ids `${prefix}-${field}`
 * @param {string} o.doc
 * @param {string} [o.prefix]       id prefix of the fields and their error elements
 * @param {() => boolean} o.requireEmail
 * @param {() => string} o.language  the language of the text shown (sent with the signature)
 * @param {() => object} [o.headers] more request headers (the kiosk's key)
 * @param {(status: string, body: object) => void} o.onDone
 */
export function mountSignForm({ form, doc, prefix = 'sign', requireEmail, language, headers = () => ({}), onDone }) {
  const id = (f) => document.getElementById(`${prefix}-${f}`);
  const pageLanguage = lang();
  form.action = `/api/manifestos/${encodeURIComponent(doc)}/signatures`;
  form.noValidate = true; // our messages, beside the fields, instead of the browser's bubbles
  nameCountries(form.elements.country, pageLanguage);

  const preview = id('initials-preview');
  const updatePreview = () => {
    if (!preview) return;
    const shown = initials(form.elements.name.value);
    preview.textContent = shown ? t('signing.form.initialsPreview', { initials: isolate(shown) }) : '';
  };
  form.elements.name.addEventListener('input', updatePreview);
  for (const f of FIELDS) {
    const field = form.elements[f];
    if (!field) continue;
    // An error goes away as soon as the person changes that field.
    const clear = () => fieldError(f, null);
    if (field instanceof RadioNodeList) for (const r of field) r.addEventListener('change', clear);
    else field.addEventListener('input', clear);
  }
  const comment = form.elements.comment;
  const counter = id('comment-count');
  if (comment && counter) {
    const count = () => { counter.textContent = commentCount(comment.value.length); };
    comment.addEventListener('input', count);
    count();
  }
  for (const choice of DISPLAY_CHOICES) {
    const hint = id(`display-${choice}-hint`);
    if (hint && !hint.textContent.trim()) hint.textContent = displayText(choice);
  }
  emailRequired(requireEmail());
  updatePreview();

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    formError(null);
    const values = {
      name: form.elements.name.value,
      email: form.elements.email ? form.elements.email.value : '',
      country: form.elements.country.value,
      city: form.elements.city ? form.elements.city.value : '',
      comment: comment ? comment.value : '',
      display: form.elements.display.value,
      updates: form.elements.updates ? form.elements.updates.checked : false,
      language: language(),
    };
    const { fields, body } = checkSignature(values, { requireEmail: requireEmail() });
    for (const f of FIELDS) fieldError(f, fields[f] || null);
    const bad = FIELDS.find((f) => fields[f]);
    if (bad) {
      focusField(bad);
      return;
    }
    // The honeypot travels as typed: a person never sees it, a robot fills it.
    const trap = form.querySelector('.hp input');
    if (trap && trap.value) body[trap.name] = trap.value;
    const submit = form.querySelector('button[type="submit"]');
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const res = await fetch(form.action, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers() },
        credentials: 'same-origin',
        body: JSON.stringify(body),
      });
      const reply = await res.json().catch(() => null);
      if (res.ok) {
        onDone(reply && reply.status === 'confirmed' ? 'confirmed' : 'pending', body);
        return;
      }
      serverError(res, reply);
    } catch (err) {
      formError(t('signing.form.connectionFailed'));
    } finally {
      submit.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });

  function serverError(res, reply) {
    if (res.status === 400 && reply && reply.fields && typeof reply.fields === 'object') {
      const reasons = reply.reasons && typeof reply.reasons === 'object' ? reply.reasons : {};
      const known = Object.keys(reply.fields).filter((f) => FIELDS.includes(f));
      for (const f of known) fieldError(f, fieldMessage(f, String(reasons[f] || '')));
      const other = Object.keys(reply.fields).filter((f) => !FIELDS.includes(f));
      // A field the person cannot see (the text's language, the updates box's type): the page is stale.
      if (other.length || !known.length) formError(t('signing.form.reload'));
      if (known.length) focusField(known[0]);
      return;
    }
    formError(refusalText(res.status, reply, res.headers.get('Retry-After')));
  }

  function fieldError(f, text) {
    const box = id(`${f}-error`);
    const field = f === 'display' ? form.querySelector('fieldset.display-choice') : form.elements[f];
    if (!box || !field) return;
    box.textContent = text || '';
    box.hidden = !text;
    if (f === 'display') {
      for (const r of form.elements.display) {
        if (text) r.setAttribute('aria-invalid', 'true');
        else r.removeAttribute('aria-invalid');
      }
    } else if (text) {
      field.setAttribute('aria-invalid', 'true');
    } else {
      field.removeAttribute('aria-invalid');
    }
  }

  function focusField(f) {
    const field = f === 'display' ? form.elements.display[0] : form.elements[f];
    if (field && field.focus) field.focus();
  }

  function formError(text) {
    const box = id('error');
    box.textContent = text || '';
    box.hidden = !text;
    if (text) box.focus();
  }

  function emailRequired(required) {
    const email = form.elements.email;
    if (!email) return;
    email.required = required;
    const optional = id('email-optional');
    if (optional) optional.hidden = required;
    const hint = id('email-hint');
    if (hint && !hint.dataset.required) hint.dataset.required = hint.textContent; // the page's own wording
    if (hint) hint.textContent = required ? hint.dataset.required : t('signing.form.emailOptionalHint');
  }

  /** Clears the form for the next person (the kiosk), keeping the country. */
  function reset() {
    const country = form.elements.country.value;
    form.reset();
    form.elements.country.value = country;
    for (const f of FIELDS) fieldError(f, null);
    formError(null);
    updatePreview();
    if (counter) counter.textContent = commentCount(0);
  }

  function commentCount(n) {
    return t('signing.form.commentCount', { n, max: comment.maxLength });
  }

  return { reset, emailRequired };
}

/** The select's options named and sorted in the page's language; a choice already made is kept. */
export function nameCountries(select, language) {
  const chosen = select.value;
  const first = select.querySelector('option[value=""]');
  const options = countryOptions(language).map(([code, name]) => {
    const o = document.createElement('option');
    o.value = code;
    o.textContent = name;
    return o;
  });
  select.replaceChildren(...(first ? [first] : []), ...options);
  select.value = chosen;
}
