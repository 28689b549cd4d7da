// compare.test.mjs — the comparison of the differential test must find
// differences, or a passing run means nothing. Run: node --test compare.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { valueKey, termKey, selectRows, compareSelect, parseNTriples, graphKeys, compareGraphs } from './compare.mjs';

const XSD = 'http://www.w3.org/2001/XMLSchema#';
const lit = (value, datatype) => ({ type: 'literal', value, ...(datatype ? { datatype: XSD + datatype } : {}) });
const uri = (value) => ({ type: 'uri', value });
const json = (vars, rows) => ({ head: { vars }, results: { bindings: rows } });
const none = new Map();
const rows = (q, vars, bindings, bn = none) => selectRows(json(vars, bindings), q, bn);

test('numeric literals compare by datatype and value', () => {
  assert.equal(valueKey('16.0', XSD + 'double'), valueKey('16', XSD + 'double'));
  assert.equal(valueKey('1.50', XSD + 'decimal'), valueKey('1.5', XSD + 'decimal'));
  assert.equal(valueKey('0.333333333333333333', XSD + 'decimal'), valueKey('0.33333333333333333333333', XSD + 'decimal'));
  assert.notEqual(termKey(lit('1', 'integer'), none), termKey(lit('1', 'decimal'), none));
  assert.notEqual(termKey(lit('2', 'integer'), none), termKey(lit('3', 'integer'), none));
  assert.notEqual(termKey(lit('1.5', 'double'), none), termKey(lit('1.50001', 'double'), none));
  assert.equal(termKey(lit('x', 'string'), none), termKey(lit('x'), none));
  assert.equal(termKey({ type: 'literal', value: 'x', 'xml:lang': 'DE' }, none),
    termKey({ type: 'literal', value: 'x', 'xml:lang': 'de' }, none));
  assert.notEqual(termKey(lit('abc', 'integer'), none), termKey(lit('0abc', 'integer'), none));
});

test('solutions are multisets', () => {
  const q = {};
  const a = rows(q, ['x'], [{ x: uri('u:a') }, { x: uri('u:a') }]);
  const b = rows(q, ['x'], [{ x: uri('u:a') }]);
  assert.notDeepEqual(compareSelect(q, a, b), []);
  assert.deepEqual(compareSelect(q, a, rows(q, ['x'], [{ x: uri('u:a') }, { x: uri('u:a') }])), []);
  const c = rows(q, ['x'], [{ x: uri('u:a') }, { x: uri('u:b') }]);
  const d = rows(q, ['x'], [{ x: uri('u:b') }, { x: uri('u:a') }]);
  assert.deepEqual(compareSelect(q, c, d), []);
  const unbound = rows(q, ['x', 'y'], [{ x: uri('u:a') }]);
  const bound = rows(q, ['x', 'y'], [{ x: uri('u:a'), y: lit('') }]);
  assert.notDeepEqual(compareSelect(q, unbound, bound), []);
  assert.notDeepEqual(compareSelect(q, rows(q, ['x'], []), rows(q, ['y'], [])), []);
  assert.deepEqual(compareSelect({ setLike: true }, a, b), []);
});

test('ORDER BY keys must come in the same sequence', () => {
  const q = { order: [{ v: 'k', desc: false }] };
  const r = (ks) => rows(q, ['k', 'x'], ks.map(([k, x]) => ({ k: lit(String(k), 'integer'), x: uri(x) })));
  assert.deepEqual(compareSelect(q, r([[1, 'u:a'], [2, 'u:b']]), r([[1, 'u:a'], [2, 'u:b']])), []);
  assert.notDeepEqual(compareSelect(q, r([[1, 'u:a'], [2, 'u:b']]), r([[2, 'u:b'], [1, 'u:a']])), []);
  // ties may come in any order
  assert.deepEqual(compareSelect(q, r([[1, 'u:a'], [1, 'u:b']]), r([[1, 'u:b'], [1, 'u:a']])), []);
});

test('LIMIT without a total order compares counts and membership only', () => {
  const q = { order: [{ v: 'k', desc: false }], slice: { limit: 1, offset: 0 } };
  const r = (ks) => rows(q, ['k', 'x'], ks.map(([k, x]) => ({ k: lit(String(k), 'integer'), x: uri(x) })));
  const full = r([[1, 'u:a'], [1, 'u:b'], [2, 'u:c']]);
  // the tie at the edge lets the engines pick different rows
  assert.deepEqual(compareSelect(q, r([[1, 'u:a']]), r([[1, 'u:b']]), full, full), []);
  // a row that is no solution, a wrong key, a wrong count
  assert.notDeepEqual(compareSelect(q, r([[1, 'u:z']]), r([[1, 'u:b']]), full, full), []);
  assert.notDeepEqual(compareSelect(q, r([[2, 'u:c']]), r([[1, 'u:b']]), full, full), []);
  assert.notDeepEqual(compareSelect(q, r([]), r([[1, 'u:b']]), full, full), []);
  // no tie at the edges: the rows themselves must agree
  const q2 = { ...q, slice: { limit: 2, offset: 0 } };
  assert.deepEqual(compareSelect(q2, r([[1, 'u:a'], [1, 'u:b']]), r([[1, 'u:b'], [1, 'u:a']]), full, full), []);
  const unordered = { slice: { limit: 2, offset: 1 } };
  const fu = rows(unordered, ['x'], [{ x: uri('u:a') }, { x: uri('u:b') }, { x: uri('u:c') }]);
  const one = (xs) => rows(unordered, ['x'], xs.map((x) => ({ x: uri(x) })));
  assert.deepEqual(compareSelect(unordered, one(['u:a', 'u:c']), one(['u:b', 'u:c']), fu, fu), []);
  assert.notDeepEqual(compareSelect(unordered, one(['u:a']), one(['u:b', 'u:c']), fu, fu), []);
});

test('blank nodes through the owner map, GROUP_CONCAT as a multiset of parts', () => {
  const q = { gc: { g: '|' } };
  const A = rows(q, ['b', 'g'], [{ b: { type: 'bnode', value: 'b21' }, g: lit('x|y') }], new Map([['b21', '_:of<u:1>']]));
  const B = rows(q, ['b', 'g'], [{ b: { type: 'bnode', value: 'ea5f' }, g: lit('y|x') }], new Map([['ea5f', '_:of<u:1>']]));
  const C = rows(q, ['b', 'g'], [{ b: { type: 'bnode', value: 'ea60' }, g: lit('y|x') }], new Map([['ea60', '_:of<u:2>']]));
  assert.deepEqual(compareSelect(q, A, B), []);
  assert.notDeepEqual(compareSelect(q, A, C), []);
});

test('CONSTRUCT graphs compare as sets of triples', () => {
  const a = parseNTriples('<u:s> <u:p> "a\\"b\\u00FC"@de .\n<u:s> <u:p> "1.0"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n<u:s> <u:p> "1.0"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n');
  const b = [[uri('u:s'), uri('u:p'), { type: 'literal', value: 'a"bü', 'xml:lang': 'de' }],
    [uri('u:s'), uri('u:p'), lit('1', 'decimal')]];
  assert.deepEqual(compareGraphs(graphKeys(a, none), graphKeys(b, none)), []);
  assert.notDeepEqual(compareGraphs(graphKeys(a, none), graphKeys(b.slice(0, 1), none)), []);
});
