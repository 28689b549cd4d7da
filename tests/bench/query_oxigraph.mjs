// Query benchmark runner for Oxigraph (npm `oxigraph`, WASM build, in memory).
// Loads the N-Quads files once, then runs every query WARMUP + REPEAT times in
// this process; a run is store.query(text) with the union of all graphs as
// the default graph, serialising the results as SPARQL JSON (as citykg's runs
// write JSON), timed with process.hrtime.
//
// Usage: node query_oxigraph.mjs --out DIR [--warmup W] [--repeat R]
//          [--budget SECONDS] DATA.nq... -- QUERY.rq...
// Prints "load\t<quads>\t<seconds>" once, then per query one line
// "<name>\tok\t<ms>,<ms>,..." (timed runs only) or "<name>\terror\t<message>";
// the last run's results go to DIR/<name>.json. Budget: when the first warm-up
// run times (WARMUP + REPEAT - 1) exceeds SECONDS, the remaining warm-ups are
// skipped and only as many timed runs as fit the budget are done (at least 1).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chunks } from './file_chunks.mjs';

const require = createRequire(import.meta.url);
const oxigraph = require('oxigraph');

const args = process.argv.slice(2);
const opt = { out: null, warmup: 2, repeat: 7, budget: 120 };
const data = [];
const queries = [];
let inQueries = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--') inQueries = true;
  else if (!inQueries && a.startsWith('--')) opt[a.slice(2)] = args[++i];
  else (inQueries ? queries : data).push(a);
}
if (!opt.out || data.length === 0 || queries.length === 0) {
  console.error('usage: node query_oxigraph.mjs --out DIR [--warmup W] [--repeat R] [--budget S] DATA.nq... -- QUERY.rq...');
  process.exit(2);
}
const warmup = Math.max(1, Number(opt.warmup));
const repeat = Math.max(1, Number(opt.repeat));
const budget = Number(opt.budget) * 1000;
fs.mkdirSync(opt.out, { recursive: true });


const t0 = process.hrtime.bigint();
const store = new oxigraph.Store();
for (const f of data) store.load(chunks(f), { format: 'application/n-quads' });
console.log(`load\t${store.size}\t${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(3)}`);

const options = { use_default_graph_as_union: true, results_format: 'application/sparql-results+json' };
function run(text) {
  const a = process.hrtime.bigint();
  const json = store.query(text, options);
  const ms = Number(process.hrtime.bigint() - a) / 1e6;
  return { ms, json };
}

for (const q of queries) {
  const name = path.basename(q, '.rq');
  const text = fs.readFileSync(q, 'utf8');
  try {
    let last = run(text);
    let warm = warmup - 1;
    let timed = repeat;
    if (last.ms * (warm + timed) > budget) {
      warm = 0;
      timed = Math.max(1, Math.min(repeat, Math.floor(budget / last.ms)));
    }
    for (let i = 0; i < warm; i++) last = run(text);
    const times = [];
    for (let i = 0; i < timed; i++) {
      last = run(text);
      times.push(last.ms.toFixed(3));
    }
    fs.writeFileSync(path.join(opt.out, `${name}.json`), last.json);
    console.log(`${name}\tok\t${times.join(',')}`);
  } catch (e) {
    console.log(`${name}\terror\t${String(e.message || e).replace(/\s+/g, ' ').slice(0, 200)}`);
  }
}
