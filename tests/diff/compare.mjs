// compare.mjs — turns the answers of both engines into comparable keys and
// compares them the way SPARQL 1.1 defines equality of results:
//
// - SELECT: solutions as multisets (REDUCED: as sets); the head as a set of
//   variables (SELECT * orders them as the engine likes). With a top-level
//   ORDER BY the sequence of the ORDER BY keys must be the same too; rows with
//   equal keys may come in any order (§15.1 leaves ties to the engine).
// - LIMIT/OFFSET: the unsliced query is also run on both engines and compared.
//   Without ORDER BY only the number of rows is fixed, and every row must be a
//   solution of the unsliced query. With ORDER BY the key sequence of the
//   window is fixed; the rows themselves are compared only when no group of
//   equal keys straddles the window's edges.
// - ASK: the boolean. CONSTRUCT: the graphs as sets of triples.
//
// Normalisations (each one legal under the specs, documented in
// docs/conformance.md):
// - numeric literals compare by datatype and value (integers exactly,
//   xsd:decimal to 16 fractional digits and then, like xsd:double, to 12
//   significant digits, xsd:float to 6), and
//   xsd:boolean by value: Oxigraph stores these as values and writes them
//   back in canonical form ("16.0"^^xsd:double comes back as "16"), and the
//   precision of decimal division and the summation order of doubles are
//   implementation-dependent (XPath F&O 4.2 / §18.5 aggregates over a multiset);
// - "x"^^xsd:string equals "x" and language tags compare in lower case
//   (RDF 1.1 Concepts);
// - blank nodes of the data (addresses, distributions) are named by the
//   subject that owns them, through a per-engine map; other blank nodes are
//   compared by count of distinct labels (results with fresh blank nodes);
// - GROUP_CONCAT results the generator marks are compared as multisets of
//   their parts (the order of a group is not defined).

const XSD = 'http://www.w3.org/2001/XMLSchema#';
const INTEGER_TYPES = new Set(['integer', 'int', 'long', 'short', 'byte', 'nonNegativeInteger',
  'positiveInteger', 'negativeInteger', 'nonPositiveInteger', 'unsignedLong', 'unsignedInt',
  'unsignedShort', 'unsignedByte'].map((t) => XSD + t));

function roundSig(x, digits) {
  if (x === 0) return '0';
  return String(Number(x.toPrecision(digits)));
}

// The value key of a numeric or boolean literal, or null if not one (or an
// ill-typed lexical form, which is kept as written).
export function valueKey(lex, dt) {
  const s = lex.trim();
  if (INTEGER_TYPES.has(dt)) return /^[+-]?[0-9]+$/.test(s) ? BigInt(s).toString() : null;
  if (dt === XSD + 'decimal') {
    // 16 fractional digits first: Oxigraph keeps 18, citykg 38
    return /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/.test(s) ? roundSig(Number(Number(s).toFixed(16)), 12) : null;
  }
  if (dt === XSD + 'double' || dt === XSD + 'float') {
    if (s === 'INF' || s === '+INF') return 'INF';
    if (s === '-INF') return '-INF';
    if (s === 'NaN') return 'NaN';
    if (!/^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(s)) return null;
    return roundSig(Number(s), dt === XSD + 'float' ? 6 : 12);
  }
  if (dt === XSD + 'boolean') {
    if (s === 'true' || s === '1') return 'true';
    if (s === 'false' || s === '0') return 'false';
  }
  return null;
}

// term = { type: uri|literal|bnode|typed-literal, value, datatype?, xml:lang? }
export function termKey(t, bnodes) {
  if (t === undefined || t === null) return '';
  switch (t.type) {
    case 'uri': return `<${t.value}>`;
    case 'bnode': return bnodes.get(t.value) ?? `_:?${t.value}`;
    case 'literal':
    case 'typed-literal': {
      const lang = t['xml:lang'];
      if (lang) return `${JSON.stringify(t.value)}@${lang.toLowerCase()}`;
      const dt = t.datatype;
      if (!dt || dt === XSD + 'string') return JSON.stringify(t.value);
      const v = valueKey(t.value, dt);
      if (v !== null) return `value(${v})^^<${dt}>`;
      return `${JSON.stringify(t.value)}^^<${dt}>`;
    }
    default: return `?${JSON.stringify(t)}`;
  }
}

// Fresh blank nodes (not in the map) become "_:?label"; replace the labels by
// one placeholder and remember how many distinct labels there were.
function anonymise(key, seen) {
  return key.replace(/_:\?[^\s|,)]+/g, (m) => { seen.add(m); return '_:*'; });
}

function gcKey(value, sep) {
  return value.split(sep).sort().join(sep);
}

// SPARQL JSON results -> { vars:Set, rows:[string], keys:[string], fresh:n }
export function selectRows(json, q, bnodes) {
  const vars = json.head?.vars ?? [];
  const all = [...vars].sort();
  const fresh = new Set();
  const rows = [];
  const keys = [];
  for (const b of json.results?.bindings ?? []) {
    const cells = all.map((v) => {
      let t = b[v];
      if (t && q.gc && q.gc[v] !== undefined && t.type === 'literal') t = { ...t, value: gcKey(t.value, q.gc[v]) };
      return `${v}=${termKey(t, bnodes)}`;
    });
    rows.push(anonymise(cells.join(' | '), fresh));
    if (q.order) keys.push(anonymise(q.order.map((o) => termKey(b[o.v], bnodes)).join(' | '), fresh));
  }
  return { vars: new Set(vars), rows, keys, fresh: fresh.size };
}

function counts(list) {
  const m = new Map();
  for (const x of list) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

// rows of a not in b (as multisets), up to `max`
function excess(a, b, max = 8) {
  const cb = counts(b);
  const out = [];
  for (const [k, n] of counts(a)) {
    const d = n - (cb.get(k) ?? 0);
    if (d > 0) out.push(d > 1 ? `${k}   (x${d})` : k);
    if (out.length >= max) break;
  }
  return out;
}

function multisetProblems(A, B, label, setLike) {
  const a = setLike ? [...new Set(A.rows)] : A.rows;
  const b = setLike ? [...new Set(B.rows)] : B.rows;
  const onlyA = excess(a, b);
  const onlyB = excess(b, a);
  if (!onlyA.length && !onlyB.length) return [];
  return [`${label}: citykg ${a.length} rows, oxigraph ${b.length} rows`,
    ...onlyA.map((r) => `  only citykg:   ${r}`), ...onlyB.map((r) => `  only oxigraph: ${r}`)];
}

function keySeqProblems(ka, kb, label) {
  const n = Math.max(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    if (ka[i] !== kb[i]) return [`${label}: ORDER BY keys differ at row ${i + 1}: citykg ${ka[i] ?? '(none)'}, oxigraph ${kb[i] ?? '(none)'}`];
  }
  return [];
}

function headProblems(A, B) {
  const a = [...A.vars].sort().join(' ');
  const b = [...B.vars].sort().join(' ');
  return a === b ? [] : [`head differs: citykg [${a}], oxigraph [${b}]`];
}

// A and B: results of citykg and Oxigraph (selectRows); FA/FB the unsliced
// results for a query with LIMIT/OFFSET. Returns a list of problem lines.
export function compareSelect(q, A, B, FA, FB) {
  const p = [...headProblems(A, B)];
  if (A.fresh !== B.fresh) p.push(`distinct fresh blank nodes: citykg ${A.fresh}, oxigraph ${B.fresh}`);
  if (!q.slice) {
    p.push(...multisetProblems(A, B, 'solutions', q.setLike));
    if (q.order && !p.length) p.push(...keySeqProblems(A.keys, B.keys, 'order'));
    return p;
  }
  const full = multisetProblems(FA, FB, 'unsliced solutions', q.setLike);
  if (full.length) return [...p, ...full];
  if (q.order) p.push(...keySeqProblems(FA.keys, FB.keys, 'unsliced order'));
  if (p.length) return p;
  const { limit, offset } = q.slice;
  const n = FA.rows.length;
  const start = Math.min(offset, n);
  const end = limit === undefined ? n : Math.min(n, start + limit);
  const want = end - start;
  if (A.rows.length !== want || B.rows.length !== want) {
    return [`slice of ${n} rows (OFFSET ${offset} LIMIT ${limit}) should have ${want} rows: citykg ${A.rows.length}, oxigraph ${B.rows.length}`];
  }
  const subset = (X, F, who) => {
    const extra = excess(X.rows, F.rows);
    return extra.length ? [`${who} returned rows that are not solutions of the unsliced query:`, ...extra.map((r) => `  ${r}`)] : [];
  };
  if (q.order) {
    const window = FA.keys.slice(start, end);
    p.push(...keySeqProblems(A.keys, window, 'citykg window vs unsliced keys'));
    p.push(...keySeqProblems(B.keys, window, 'oxigraph window vs unsliced keys'));
    const tieSafe = (start === 0 || FA.keys[start - 1] !== FA.keys[start]) &&
      (end === n || FA.keys[end - 1] !== FA.keys[end]);
    if (tieSafe) p.push(...multisetProblems(A, B, 'window solutions'));
    else p.push(...subset(A, FB, 'citykg'), ...subset(B, FA, 'oxigraph'));
    return p;
  }
  p.push(...subset(A, FB, 'citykg'), ...subset(B, FA, 'oxigraph'));
  return p;
}

// ---- N-Triples (citykg's CONSTRUCT output) ----
function unescapeNT(s) {
  return s.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (m, e) => {
    if (e[0] === 'u' || e[0] === 'U') return String.fromCodePoint(parseInt(e.slice(1), 16));
    return { t: '\t', n: '\n', r: '\r', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\' }[e] ?? e;
  });
}

export function parseNTriples(text) {
  const triples = [];
  const term = /\s*(<([^>]*)>|_:(\S+)|"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?)/y;
  for (const line of text.split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    term.lastIndex = 0;
    const t = [];
    for (let i = 0; i < 3; i++) {
      const m = term.exec(line);
      if (!m) throw new Error(`cannot parse N-Triples line: ${line}`);
      if (m[2] !== undefined) t.push({ type: 'uri', value: unescapeNT(m[2]) });
      else if (m[3] !== undefined) t.push({ type: 'bnode', value: m[3] });
      else {
        const o = { type: 'literal', value: unescapeNT(m[4]) };
        if (m[5]) o['xml:lang'] = m[5];
        if (m[6]) o.datatype = unescapeNT(m[6]);
        t.push(o);
      }
    }
    triples.push(t);
  }
  return triples;
}

// Oxigraph term objects -> the JSON term shape
export function fromOxTerm(t) {
  switch (t.termType) {
    case 'NamedNode': return { type: 'uri', value: t.value };
    case 'BlankNode': return { type: 'bnode', value: t.value };
    case 'Literal': {
      const o = { type: 'literal', value: t.value };
      if (t.language) o['xml:lang'] = t.language;
      else if (t.datatype) o.datatype = t.datatype.value;
      return o;
    }
    default: return { type: '?', value: String(t.value) };
  }
}

export function graphKeys(triples, bnodes) {
  const fresh = new Set();
  const keys = triples.map((t) => anonymise(t.map((x) => termKey(x, bnodes)).join(' '), fresh));
  return { rows: [...new Set(keys)], fresh: fresh.size };
}

export function compareGraphs(A, B) {
  const p = multisetProblems(A, B, 'triples');
  if (A.fresh !== B.fresh) p.push(`distinct fresh blank nodes: citykg ${A.fresh}, oxigraph ${B.fresh}`);
  return p;
}
