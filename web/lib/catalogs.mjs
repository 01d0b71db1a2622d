// The interface's message catalogs, as build.mjs and the node tests read them:
// src/main/resources/messages/ui_<tag>.properties (the server reads the same files with ICU4J).

import { readdir, readFile } from 'node:fs/promises';
import { parse } from 'dot-properties';

export const CATALOGS = new URL('../../src/main/resources/messages/', import.meta.url);
export const REFERENCE = 'en';
/** Areas every page carries; the others are named by a page's <html data-i18n-areas>. */
export const COMMON_AREAS = ['app', 'language', 'common', 'notFound'];

/** {tag: {key: pattern}} for every ui_<tag>.properties, English first. */
export async function readCatalogs() {
  const tags = (await readdir(CATALOGS))
    .map((f) => /^ui_([A-Za-z0-9-]+)\.properties$/.exec(f)?.[1])
    .filter(Boolean)
    .sort((a, b) => (a === REFERENCE ? -1 : b === REFERENCE ? 1 : a.localeCompare(b)));
  const catalogs = {};
  for (const tag of tags) {
    catalogs[tag] = parse(await readFile(new URL(`ui_${tag}.properties`, CATALOGS), 'utf8'));
  }
  return catalogs;
}

/** The area of a key: what comes before its first dot. */
export function areaOf(key) {
  return key.split('.')[0];
}
