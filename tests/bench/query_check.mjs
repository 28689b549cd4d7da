// Compares the engines' results of the query benchmark.
//
// Usage: node query_check.mjs RESULTS_DIR QUERIES_DIR ENGINE...
// Reads RESULTS_DIR/<engine>/<query>.json (SPARQL JSON results of each
// engine's last run) for every QUERIES_DIR/*.rq and prints one line per query
// and engine: "<query>\t<engine>\t<rows>\t<check>", rows being the number of
// solutions (empty when the engine has no result file) and check one of
//   same        all engines with a result returned the same solutions
//   MISMATCH    the row counts differ between engines
//   DIFF:a|b c  same counts, but the solutions differ; the groups of engines
//               that agree are separated by "|"
// Solutions are compared as multisets (in order when the query has ORDER BY),
// with these normalisations, since the engines write the same values
// differently: numbers (xsd:integer, decimal, double, float, ...) compare
// numerically with a relative tolerance of 1e-5 (Virtuoso writes doubles with
// six significant digits and AVG as a decimal; sums of doubles depend on the
// order of addition); xsd:dateTime as instants; booleans as true/false (also
// 1/0); other literals by lexical form and language tag, ignoring the datatype
// (Virtuoso loads WKT retyped); blank nodes are all equal (labels are
// engine-local).
import fs from 'node:fs';
import path from 'node:path';

const [resultsDir, queriesDir, ...engines] = process.argv.slice(2);
if (!resultsDir || !queriesDir || engines.length === 0) {
  console.error('usage: node query_check.mjs RESULTS_DIR QUERIES_DIR ENGINE...');
  process.exit(2);
}

const XSD = 'http://www.w3.org/2001/XMLSchema#';
const NUMERIC = new Set(['integer', 'decimal', 'double', 'float', 'int', 'long', 'short', 'byte',
  'nonNegativeInteger', 'nonPositiveInteger', 'negativeInteger', 'positiveInteger',
  'unsignedLong', 'unsignedInt', 'unsignedShort', 'unsignedByte'].map((t) => XSD + t));

// a cell: { k: 'n', v: number } | { k: 's', v: string } | { k: 'b' } (blank) | null (unbound)
function cell(t) {
  if (!t) return null;
  if (t.type === 'uri') return { k: 's', v: `<${t.value}>` };
  if (t.type === 'bnode') return { k: 'b' };
  const dt = t.datatype;
  if (dt && NUMERIC.has(dt)) {
    const n = Number(t.value);
    if (!Number.isNaN(n)) return { k: 'n', v: n };
  }
  if (dt === XSD + 'boolean') return { k: 's', v: t.value === 'true' || t.value === '1' ? 'true' : 'false' };
  if (dt === XSD + 'dateTime') {
    const ms = Date.parse(t.value);
    if (!Number.isNaN(ms)) return { k: 's', v: `dt:${ms}` };
  }
  const lang = t['xml:lang'] || t.lang;
  return { k: 's', v: lang ? `${t.value}@${lang.toLowerCase()}` : t.value };
}

function sortKey(c) {
  if (!c) return '';
  if (c.k === 'n') return `n:${Number(c.v.toPrecision(5))}`;
  if (c.k === 'b') return '_:';
  return c.v;
}

function cellsEqual(a, b) {
  if (!a || !b) return a === b;
  if (a.k !== b.k) return false;
  if (a.k === 'b') return true;
  if (a.k === 'n') {
    const d = Math.abs(a.v - b.v);
    return d <= 1e-9 || d <= 1e-5 * Math.max(Math.abs(a.v), Math.abs(b.v));
  }
  return a.v === b.v;
}

function load(file, ordered) {
  if (!fs.existsSync(file)) return null;
  let json;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (!json.results || !Array.isArray(json.results.bindings)) return null;
  const vars = [...json.head.vars].sort();
  const rows = json.results.bindings.map((b) => vars.map((v) => cell(b[v])));
  if (!ordered) {
    const keyed = rows.map((r) => [r.map(sortKey).join('\u0001'), r]);
    keyed.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    return { vars, rows: keyed.map((x) => x[1]) };
  }
  return { vars, rows };
}

function same(a, b) {
  if (a.vars.join(' ') !== b.vars.join(' ') || a.rows.length !== b.rows.length) return false;
  for (let i = 0; i < a.rows.length; i++)
    for (let j = 0; j < a.vars.length; j++) if (!cellsEqual(a.rows[i][j], b.rows[i][j])) return false;
  return true;
}

const queries = fs.readdirSync(queriesDir).filter((f) => f.endsWith('.rq')).sort();
for (const q of queries) {
  const name = q.slice(0, -3);
  const text = fs.readFileSync(path.join(queriesDir, q), 'utf8').replace(/^#.*$/gm, '');
  const ordered = /ORDER\s+BY/i.test(text);
  const res = {};
  for (const e of engines) res[e] = load(path.join(resultsDir, e, `${name}.json`), ordered);
  const have = engines.filter((e) => res[e]);
  if (have.length === 0) continue;
  let check = 'same';
  const counts = new Set(have.map((e) => res[e].rows.length));
  if (counts.size > 1) {
    check = 'MISMATCH';
  } else {
    const groups = [];
    for (const e of have) {
      const g = groups.find((gr) => same(res[gr[0]], res[e]));
      if (g) g.push(e);
      else groups.push([e]);
    }
    if (groups.length > 1) check = `DIFF:${groups.map((g) => g.join(' ')).join('|')}`;
  }
  for (const e of engines) console.log(`${name}\t${e}\t${res[e] ? res[e].rows.length : ''}\t${check}`);
}
