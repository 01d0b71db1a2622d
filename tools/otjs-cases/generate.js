'use strict';
// Writes ../../src/test/resources/ot/otjs-cases.json: random cases computed by ot.js itself, so
// the Java port can be checked against the reference implementation. Output depends only on SEED.

const fs = require('fs');
const path = require('path');
const TextOperation = require('ot').TextOperation;

const SEED = 0x5eed0715;
const CASES = 1500;
const MAX_DOC = 40;
const OUT = path.join(__dirname, '..', '..', 'src', 'test', 'resources', 'ot', 'otjs-cases.json');

// mulberry32: tiny deterministic PRNG; Math.random cannot be seeded.
function mulberry32(a) {
  return function () {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(SEED);
const randomInt = (n) => Math.floor(random() * n); // 0 <= result < n

// BMP only: ot.js counts UTF-16 units, so its random ops would split astral pairs, which the Java
// port rejects in apply. Quote, backslash and newline exercise JSON escaping.
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789.,"\\\n\u00e9\u0634\u4e2d';
function randomString(n) {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

// Same shape as the randomOperation helper of ot.js's own test suite.
function randomOperation(str) {
  const op = new TextOperation();
  for (;;) {
    const left = str.length - op.baseLength;
    if (left === 0) break;
    const r = random();
    const l = 1 + randomInt(Math.min(left - 1, 20) + 1);
    if (r < 0.2) op.insert(randomString(1 + randomInt(8)));
    else if (r < 0.45) op['delete'](Math.min(l, left));
    else op.retain(Math.min(l, left));
  }
  if (random() < 0.3) op.insert(randomString(1 + randomInt(6)));
  return op;
}

const json = (op) => op.toJSON().slice();
const cases = [];
for (let i = 0; i < CASES; i++) {
  const doc = randomString(randomInt(MAX_DOC + 1));
  const a = randomOperation(doc);
  const b = randomOperation(doc);
  const applyA = a.apply(doc);
  const c = randomOperation(applyA);
  const composeAB = a.compose(c);
  const pair = TextOperation.transform(a, b);
  const transformedResult = pair[1].apply(applyA);
  if (pair[0].apply(b.apply(doc)) !== transformedResult) throw new Error('ot.js diverged at ' + i);
  if (composeAB.apply(doc) !== c.apply(applyA)) throw new Error('ot.js compose law broke at ' + i);
  cases.push({
    doc,
    a: json(a),
    b: json(b),
    c: json(c),
    applyA,
    applyB: b.apply(doc),
    composeAB: json(composeAB),
    composeResult: c.apply(applyA),
    aPrime: json(pair[0]),
    bPrime: json(pair[1]),
    transformedResult,
  });
}

const lines = cases.map((x) => '  ' + JSON.stringify(x));
const text = '{\n"generator": "tools/otjs-cases/generate.js, ot 0.0.15, seed ' + SEED + '",\n'
  + '"cases": [\n' + lines.join(',\n') + '\n]}\n';
fs.mkdirSync(path.dirname(OUT), { recursive: true });
fs.writeFileSync(OUT, text);
console.log('wrote ' + cases.length + ' cases (' + text.length + ' chars) to ' + OUT);
