// The public page's address in the Versions panel, once a version is published: the link, a Copy
// button, a Share button where the system offers one (navigator.share), and the QR code the
// server draws (/p/{id}/qr.svg, the reading PDF's code). Nothing here is a secret: the address is
// the one meant to be passed around.

import { el } from './dom.js';
import { t } from './i18n.js';

/** The public page's absolute address, as people will type or scan it. */
export function publicAddress(doc, origin = location.origin) {
  return `${origin}/p/${encodeURIComponent(doc)}`;
}

/**
 * @param {object} o
 * @param {string} o.doc                 the manifesto id
 * @param {(text: string) => void} o.say  puts a short status in the panel's live region
 * @returns {{update: (published: boolean) => void, focus: () => void}}
 */
export function mountPublicBox({ doc, say }) {
  const address = publicAddress(doc);
  const link = el('public-address');
  link.href = address;
  link.textContent = address;
  const share = el('public-share');
  share.hidden = typeof navigator.share !== 'function';

  el('public-copy').addEventListener('click', async () => {
    say(await copy(address) ? t('versions.public.copied') : t('versions.public.copyFailed'));
  });
  share.addEventListener('click', () => {
    navigator.share({ title: document.title, url: address }).catch(() => {
      // dismissed by the person, or refused by the system: nothing to report
    });
  });

  return {
    /** Shown while a version is published; the QR code is asked for only then (404 before). */
    update(published) {
      el('public-box').hidden = !published;
      const qr = el('public-qr');
      if (published && !qr.getAttribute('src')) qr.src = `/p/${encodeURIComponent(doc)}/qr.svg`;
    },
    focus() {
      el('public-heading').focus();
    },
  };
}

/** The clipboard API where the page may use it; else a selection and execCommand. */
async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (e) {
    const link = el('public-address');
    const range = document.createRange();
    range.selectNodeContents(link);
    const selection = document.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    try {
      return document.execCommand('copy');
    } catch (e2) {
      return false;
    }
  }
}
