// Co-edits one document through the official @vertx/eventbus-bridge-client.js with ot.js's own
// Client state machine: the kind of third-party client the protocol promises to serve.
// Usage: node official-client.mjs <baseUrl> <doc> <token> <clients> <editsPerClient> <seed>
// Prints one JSON line: {texts:[...], revisions:[...], errors:[...]}.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const EventBus = require('@vertx/eventbus-bridge-client.js');
const ot = require('ot');

const [baseUrl, doc, token, clientCount = '2', editsPer = '30', seedArg = '1'] = process.argv.slice(2);
let seed = Number(seedArg) >>> 0;
function random() { // mulberry32: reproducible runs
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const errors = [];

function connect(name) {
  return new Promise((resolve) => {
    const eb = new EventBus(`${baseUrl}/eventbus`);
    const state = { eb, name, text: '', seq: 0, inFlightSeq: 0, client: null, clientId: null, done: false };
    eb.onerror = (e) => errors.push(`${name}: ${JSON.stringify(e)}`);
    eb.onopen = () => {
      eb.registerHandler(`manifesto.doc.${doc}`, { token }, (err, msg) => {
        if (err) { errors.push(`${name} register: ${JSON.stringify(err)}`); return; }
        const entries = msg.body.ops ? msg.body.ops : [msg.body];
        for (const e of entries) receive(state, e);
      });
      eb.send('manifesto.open', { doc, name }, { token }, (err, reply) => {
        if (err) { errors.push(`${name} open: ${JSON.stringify(err)}`); return; }
        const r = reply.body;
        state.text = r.text;
        state.clientId = r.clientId;
        const client = new ot.Client(r.revision);
        client.sendOperation = (revision, op) => {
          state.inFlightSeq = ++state.seq;
          eb.send('manifesto.edit', { doc, clientId: state.clientId, seq: state.inFlightSeq, revision, op: op.toJSON() },
            { token }, (e2) => { if (e2) errors.push(`${name} edit: ${JSON.stringify(e2)}`); });
        };
        client.applyOperation = (op) => { state.text = op.apply(state.text); };
        state.client = client;
        resolve(state);
      });
    };
  });
}

function receive(state, e) {
  if (!state.client || e.revision <= state.client.revision) return;
  if (e.revision !== state.client.revision + 1) { errors.push(`${state.name}: gap before ${e.revision}`); return; }
  if (e.clientId === state.clientId && e.seq === state.inFlightSeq) {
    state.client.serverAck();
  } else {
    state.client.applyServer(ot.TextOperation.fromJSON(e.op));
  }
}

function randomEdit(text) {
  const pos = Math.floor(random() * (text.length + 1));
  const op = new ot.TextOperation().retain(pos);
  if (pos < text.length && random() < 0.3) {
    const del = Math.min(text.length - pos, 1 + Math.floor(random() * 3));
    return op.delete(del).retain(text.length - pos - del);
  }
  const words = ['we ', 'nous ', 'nosotros ', 'ما ', 'ما هستیم ', '我们 ', 'हम '];
  return op.insert(words[Math.floor(random() * words.length)]).retain(text.length - pos);
}

const states = await Promise.all(Array.from({ length: Number(clientCount) }, (_, i) => connect(`official ${i}`)));
for (let round = 0; round < Number(editsPer); round++) {
  for (const s of states) {
    const op = randomEdit(s.text);
    s.text = op.apply(s.text);
    s.client.applyClient(op);
  }
  await new Promise((r) => setTimeout(r, Math.floor(random() * 15)));
}
const settled = () => states.every((s) => s.client.state instanceof ot.Client.Synchronized);
const deadline = Date.now() + 20000;
while (!settled() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
// Let the last publications reach everyone.
await new Promise((r) => setTimeout(r, 300));
console.log(JSON.stringify({ texts: states.map((s) => s.text), revisions: states.map((s) => s.client.revision), errors }));
for (const s of states) s.eb.close();
process.exit(0);
