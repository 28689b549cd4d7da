#!/usr/bin/env node
// run_diff.mjs — the differential test: generated SPARQL queries over the
// synthetic city data, run on citykg (the real `citykg query` binary on a real
// LMDB store) and on Oxigraph (npm, WASM, in memory), results compared as
// SPARQL 1.1 defines them (compare.mjs). Every disagreement is reported; the
// run fails on any disagreement not listed in known-differences.txt, and on
// any listed entry that no longer disagrees.
//
// Usage: node run_diff.mjs --citykg PATH --gen-city PATH [options]
//   --seed N         generator seed (default 1)
//   --size N         gen_city quads (default 30000)
//   --known FILE     known differences (default: known-differences.txt here)
//   --report FILE    full report (markdown) to write
//   --work DIR       working directory (default: a fresh temporary one)
//   --keep           keep the working directory
//   --only ID,...    run only these queries (ids or globs, e.g. 'path-*')
//   --list           print the generated queries and exit
//   --query TEXT     run one ad-hoc query (prefixes of vocab.mjs prepended;
//                    add --form ask|construct, --ordered for ORDER BY keys
//                    'v1,v2') and print both answers and the comparison
//
// Nothing is downloaded: Oxigraph comes from tests/diff/node_modules, which
// scripts/setup.sh installs with `npm ci`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { generate } from './gen_queries.mjs';
import { PREFIX_BLOCK } from './vocab.mjs';
import {
  selectRows, compareSelect, parseNTriples, fromOxTerm, graphKeys, compareGraphs,
} from './compare.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function die(msg) {
  console.error(`differential-oxigraph: ${msg}`);
  process.exit(1);
}

function parseArgs(argv) {
  const o = { seed: 1, size: 30000, known: path.join(HERE, 'known-differences.txt') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => { if (i + 1 >= argv.length) die(`${a} needs a value`); return argv[++i]; };
    switch (a) {
      case '--citykg': o.citykg = val(); break;
      case '--gen-city': o.genCity = val(); break;
      case '--seed': o.seed = Number(val()); break;
      case '--size': o.size = Number(val()); break;
      case '--known': o.known = val(); break;
      case '--report': o.report = val(); break;
      case '--work': o.work = val(); break;
      case '--keep': o.keep = true; break;
      case '--only': o.only = val().split(','); break;
      case '--list': o.list = true; break;
      case '--query': o.query = val(); break;
      case '--form': o.form = val(); break;
      case '--ordered': o.ordered = val().split(','); break;
      default: die(`unknown argument ${a} (see the header of ${path.basename(fileURLToPath(import.meta.url))})`);
    }
  }
  if (!Number.isInteger(o.seed) || !Number.isInteger(o.size) || o.size < 1000) die('--seed and --size must be integers (size >= 1000)');
  return o;
}

const globRe = (g) => new RegExp('^' + g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');

// known-differences.txt: "<id or glob>  <reason>" per line; '#' starts a comment.
function readKnown(file) {
  if (!fs.existsSync(file)) return [];
  const out = [];
  fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    const s = line.replace(/\s+$/, '');
    if (!s || s.startsWith('#')) return;
    const m = s.match(/^(\S+)\s+(.+)$/);
    if (!m) die(`${file}:${i + 1}: expected "<query id or glob> <reason>"`);
    out.push({ pattern: m[1], re: globRe(m[1]), reason: m[2], line: i + 1, hits: [] });
  });
  return out;
}

const opts = parseArgs(process.argv.slice(2));
let queries = generate({ seed: opts.seed, size: opts.size });
if (opts.query) {
  queries = [{ id: 'adhoc-001', shape: 'adhoc', form: opts.form ?? 'select', gc: {},
    text: PREFIX_BLOCK + '\n' + opts.query, ownDataset: /\bFROM\b/i.test(opts.query),
    order: opts.ordered?.map((v) => ({ v, desc: false })) }];
}
if (opts.only) queries = queries.filter((q) => opts.only.some((g) => globRe(g).test(q.id)));
if (opts.list) {
  for (const q of queries) console.log(`### ${q.id}\n${q.text.slice(PREFIX_BLOCK.length + 1)}\n`);
  process.exit(0);
}
if (!opts.citykg || !opts.genCity) die('--citykg and --gen-city are required');

const require = createRequire(import.meta.url);
let oxigraph;
try {
  oxigraph = require('oxigraph');
} catch {
  die(`Oxigraph is not installed in ${path.join(HERE, 'node_modules')}: run scripts/setup.sh ` +
    `(it runs \`npm ci\` in tests/diff; nothing is downloaded at test time)`);
}
const oxVersion = require('oxigraph/package.json').version;

const work = opts.work ?? fs.mkdtempSync(path.join(os.tmpdir(), 'citykg-diff-'));
fs.mkdirSync(work, { recursive: true });
const cleanup = () => { if (!opts.keep && !opts.work) fs.rmSync(work, { recursive: true, force: true }); };
process.on('exit', cleanup);

// ---- data, loaded into both engines ----
const t0 = Date.now();
const nq = path.join(work, 'city.nq');
const gen = spawnSync(opts.genCity, [String(opts.size), '20240601'], { maxBuffer: 1 << 30 });
if (gen.status !== 0) die(`gen_city failed: ${gen.stderr}`);
fs.writeFileSync(nq, gen.stdout);
const store = path.join(work, 'store');
fs.rmSync(store, { recursive: true, force: true });
const load = spawnSync(opts.citykg, ['load', '-q', '--data', store, nq], { encoding: 'utf8' });
if (load.status !== 0) die(`citykg load failed: ${load.stderr}`);
const ox = new oxigraph.Store();
ox.load(gen.stdout, { format: 'application/n-quads' });
const nquads = gen.stdout.toString().split('\n').length - 1;
const tLoad = Date.now() - t0;

// ---- engines ----
function runCitykg(text, form) {
  const args = ['query', '--data', store, '--timeout', '30000'];
  args.push('--format', form === 'construct' ? 'ntriples' : 'json');
  args.push(text);
  const t = Date.now();
  const r = spawnSync(opts.citykg, args, { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 60000 });
  const ms = Date.now() - t;
  if (r.error) return { error: String(r.error), ms };
  if (r.status !== 0) return { error: (r.stderr || `exit ${r.status}`).trim(), ms };
  try {
    if (form === 'construct') return { triples: parseNTriples(r.stdout), ms };
    return { json: JSON.parse(r.stdout), ms };
  } catch (e) {
    return { error: `unreadable output: ${e.message}: ${r.stdout.slice(0, 300)}`, ms };
  }
}

// The union default graph is citykg's default dataset; a query with FROM or
// FROM NAMED brings its own dataset, which Oxigraph's union option would
// override.
function runOxigraph(text, form, ownDataset) {
  const t = Date.now();
  try {
    const o = ownDataset ? {} : { use_default_graph_as_union: true };
    if (form === 'construct') {
      const quads = ox.query(text, o);
      return { triples: quads.map((q) => [q.subject, q.predicate, q.object].map(fromOxTerm)), ms: Date.now() - t };
    }
    const s = ox.query(text, { ...o, results_format: 'application/sparql-results+json' });
    return { json: JSON.parse(s), ms: Date.now() - t };
  } catch (e) {
    return { error: String(e.message ?? e), ms: Date.now() - t };
  }
}

// Blank nodes of the data, named by their owner (each address belongs to one
// building, each distribution to one dataset).
const BNODE_Q = `${PREFIX_BLOCK}
SELECT ?owner ?b WHERE { { ?owner ckg:address ?b } UNION { ?owner dcat:distribution ?b } }`;
function bnodeMap(res, who) {
  if (res.error) die(`${who}: blank node map query failed: ${res.error}`);
  const m = new Map();
  for (const b of res.json.results.bindings) m.set(b.b.value, `_:of<${b.owner.value}>`);
  return m;
}
const bnC = bnodeMap(runCitykg(BNODE_Q, 'select'), 'citykg');
const bnO = bnodeMap(runOxigraph(BNODE_Q, 'select'), 'oxigraph');
// citykg writes the same labels in JSON ("b21") and N-Triples ("_:b21")
if (bnC.size !== bnO.size || bnC.size === 0) die(`blank node maps differ in size: citykg ${bnC.size}, oxigraph ${bnO.size}`);

// ---- run and compare ----
function outcome(q) {
  const A = runCitykg(q.text, q.form);
  const B = runOxigraph(q.text, q.form, q.ownDataset);
  const r = { ms: [A.ms, B.ms], problems: [] };
  if (A.error || B.error) {
    if (A.error && B.error) r.problems.push(`both engines failed:\n  citykg: ${A.error}\n  oxigraph: ${B.error}`);
    else if (A.error) r.problems.push(`citykg failed: ${A.error}`);
    else r.problems.push(`oxigraph failed: ${B.error}`);
    return r;
  }
  if (q.form === 'ask') {
    if (A.json.boolean !== B.json.boolean) r.problems.push(`ASK: citykg ${A.json.boolean}, oxigraph ${B.json.boolean}`);
    r.rows = A.json.boolean ? 1 : 0;
    return r;
  }
  if (q.form === 'construct') {
    const GA = graphKeys(A.triples, bnC);
    const GB = graphKeys(B.triples, bnO);
    r.problems.push(...compareGraphs(GA, GB));
    r.rows = GA.rows.length;
    return r;
  }
  const SA = selectRows(A.json, q, bnC);
  const SB = selectRows(B.json, q, bnO);
  let FA;
  let FB;
  if (q.slice) {
    const fa = runCitykg(q.slice.full, 'select');
    const fb = runOxigraph(q.slice.full, 'select', q.ownDataset);
    if (fa.error || fb.error) {
      r.problems.push(`unsliced query failed: citykg ${fa.error ?? 'ok'}, oxigraph ${fb.error ?? 'ok'}`);
      return r;
    }
    FA = selectRows(fa.json, q, bnC);
    FB = selectRows(fb.json, q, bnO);
  }
  r.problems.push(...compareSelect(q, SA, SB, FA, FB));
  r.rows = SA.rows.length;
  return r;
}

if (opts.query) {
  const q = queries[0];
  const show = (who, r) => console.log(`--- ${who} (${r.ms} ms):\n` + (r.error ?? (r.triples
    ? r.triples.map((t) => t.map((x) => JSON.stringify(x)).join(' ')).join('\n')
    : JSON.stringify(r.json.boolean ?? r.json.results.bindings, null, 1).slice(0, 20000))));
  show('citykg', runCitykg(q.text, q.form));
  show('oxigraph', runOxigraph(q.text, q.form, q.ownDataset));
  const r = outcome(q);
  console.log(r.problems.length ? `--- DISAGREE:\n${r.problems.join('\n')}` : '--- agree');
  process.exit(r.problems.length ? 1 : 0);
}
const known = readKnown(opts.known);
const results = [];
const tq = Date.now();
for (const q of queries) {
  const r = outcome(q);
  r.q = q;
  r.known = r.problems.length ? known.find((k) => k.re.test(q.id)) : undefined;
  if (r.known) r.known.hits.push(q.id);
  results.push(r);
}
const tQueries = Date.now() - tq;

// ---- report ----
const shapes = [...new Set(queries.map((q) => q.shape))];
const byShape = shapes.map((s) => {
  const rs = results.filter((r) => r.q.shape === s);
  return { s, n: rs.length, agree: rs.filter((r) => !r.problems.length).length,
    known: rs.filter((r) => r.problems.length && r.known).length,
    unexplained: rs.filter((r) => r.problems.length && !r.known).length,
    empty: rs.filter((r) => !r.problems.length && r.rows === 0).length };
});
const unexplained = results.filter((r) => r.problems.length && !r.known);
// with --only, an entry is stale only if one of its queries ran
const stale = known.filter((k) => !k.hits.length && (!opts.only || results.some((r) => k.re.test(r.q.id))));
const total = results.length;
const agreeing = results.filter((r) => !r.problems.length).length;

const lines = [];
lines.push(`# Differential test: citykg vs Oxigraph ${oxVersion}`, '');
lines.push(`Data: gen_city ${opts.size} (seed 20240601), ${nquads} quads, loaded in ${tLoad} ms (both engines).`);
lines.push(`Queries: generator seed ${opts.seed}, ${total} queries, run in ${tQueries} ms.`, '');
lines.push('| shape | queries | agree | of which empty | known differences | unexplained |', '|---|--:|--:|--:|--:|--:|');
for (const b of byShape) lines.push(`| ${b.s} | ${b.n} | ${b.agree} | ${b.empty} | ${b.known} | ${b.unexplained} |`);
lines.push(`| **total** | ${total} | ${agreeing} | ${byShape.reduce((s, b) => s + b.empty, 0)} | ${total - agreeing - unexplained.length} | ${unexplained.length} |`, '');
const buckets = [[0, 0], [1, 1], [2, 10], [11, 100], [101, 1000], [1001, Infinity]];
lines.push('Result sizes (rows, triples or ASK true=1): ' + buckets.map(([lo, hi]) => {
  const n = results.filter((r) => r.rows !== undefined && r.rows >= lo && r.rows <= hi).length;
  return `${lo === hi ? lo : hi === Infinity ? `> ${lo - 1}` : `${lo}-${hi}`}: ${n}`;
}).join(', ') + '.', '');
lines.push(`Queries with an empty result (agreeing): ${results.filter((r) => !r.problems.length && r.rows === 0).map((r) => r.q.id).join(', ') || 'none'}.`, '');
const slow = [...results].sort((a, b) => Math.max(...b.ms) - Math.max(...a.ms)).slice(0, 3);
lines.push(`Slowest: ${slow.map((r) => `${r.q.id} (citykg ${r.ms[0]} ms, oxigraph ${r.ms[1]} ms)`).join(', ')}.`, '');
const detail = (r) => [`### ${r.q.id}${r.known ? ` (known: ${r.known.reason})` : ' (UNEXPLAINED)'}`, '',
  '```sparql', r.q.text.slice(PREFIX_BLOCK.length + 1), '```', '', '```', ...r.problems.flatMap((p) => p.split('\n')), '```', ''];
if (unexplained.length) lines.push('## Unexplained disagreements', '', ...unexplained.flatMap(detail));
const knownHits = results.filter((r) => r.problems.length && r.known);
if (knownHits.length) lines.push('## Known differences', '', ...knownHits.flatMap(detail));
if (stale.length) {
  lines.push('## Stale entries in known-differences.txt (no longer disagree)', '');
  for (const k of stale) lines.push(`- line ${k.line}: \`${k.pattern}\` ${k.reason}`);
  lines.push('');
}
const report = lines.join('\n');
if (opts.report) fs.writeFileSync(opts.report, report);

for (const b of byShape) console.log(`${b.s.padEnd(10)} ${String(b.n).padStart(3)} queries, ${String(b.agree).padStart(3)} agree, ${b.known} known, ${b.unexplained} unexplained`);
console.log(`total      ${total} queries, ${agreeing} agree, ${total - agreeing - unexplained.length} known differences, ${unexplained.length} unexplained; load ${tLoad} ms, queries ${tQueries} ms`);
for (const r of unexplained) {
  console.log(`\nUNEXPLAINED ${r.q.id}:\n${r.q.text.slice(PREFIX_BLOCK.length + 1)}\n${r.problems.join('\n')}`);
}
for (const k of stale) console.log(`\nSTALE ${path.basename(opts.known)}:${k.line}: ${k.pattern} no longer disagrees (${k.reason})`);
if (opts.report) console.log(`\nfull report: ${opts.report}`);
if (opts.keep || opts.work) console.log(`working directory kept: ${work}`);
const ok = !unexplained.length && !stale.length;
console.log(ok ? 'PASS' : 'FAIL');
process.exitCode = ok ? 0 : 1;
