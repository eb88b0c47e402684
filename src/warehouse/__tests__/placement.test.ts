/** Name rules shared by every warehouse, and DuckDB's quoting of whatever gets through. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WarehouseError } from '../../core/errors.ts';
import { MAX_TABLE_NAME_LENGTH, placementProblem, resolvePlacement, tableNameOf, validateTableSpec } from '../placement.ts';
import { qualify, quoteIdent, sqlNames } from '../duckdb/sql-names.ts';

describe('placement', () => {
  test('maps layer/folder/prefix/name to schema and table', () => {
    assert.deepEqual(resolvePlacement({ layer: 'raw', folder: 'gleap', prefix: 'v2_', name: 'tickets' }), { schema: 'raw', table: 'gleap__v2_tickets' });
    assert.deepEqual(resolvePlacement({ layer: 'raw', name: 'tickets' }), { schema: 'raw', table: 'tickets' });
    assert.deepEqual(resolvePlacement({ layer: 'raw', folder: '', prefix: '', name: 'tickets' }), { schema: 'raw', table: 'tickets' }, 'empty folder and prefix mean none');
    assert.equal(tableNameOf({ layer: 'raw', prefix: '2024_', name: 'x' }), '2024_x');
  });

  test('every part is checked, and the message names the part and the expected form', () => {
    const cases: [Parameters<typeof placementProblem>[0], RegExp][] = [
      [{ layer: 'raw schema', name: 't' }, /^layer "raw schema" is not a valid name: use only letters, digits and underscores, starting with a letter or underscore$/],
      [{ layer: 'raw', folder: 'a.b', name: 't' }, /^folder "a\.b" is not a valid name/],
      [{ layer: 'raw', prefix: 'x;', name: 't' }, /^table prefix "x;" is not valid/],
      [{ layer: 'raw', name: 'robert"); DROP TABLE students;--' }, /^table name .* is not a valid name/],
      [{ layer: 'raw', prefix: '9', name: 't' }, /^table name "9t" \(folder \+ "__" \+ prefix \+ name\) is not a valid name/],
      [{ layer: '_SupportSync_x', name: 't' }, /reserved for supportsync's own bookkeeping/],
      [{ layer: 'raw', name: 'T__AS_OF' }, /reserved for the companion objects/],
      [{ layer: 'raw', name: 'x__superseded' }, /reserved for the companion objects/],
    ];
    for (const [placement, message] of cases) assert.match(placementProblem(placement) ?? '(valid)', message, JSON.stringify(placement));
    assert.throws(() => resolvePlacement({ layer: 'raw', name: 'a-b' }), (err: unknown) => err instanceof WarehouseError && err.code === 'WAREHOUSE_BAD_NAME' && /Invalid table placement \{ layer="raw", name="a-b" \}/.test(err.message));
  });

  test('table names leave room for the longest companion suffix within 63 characters', () => {
    assert.equal(MAX_TABLE_NAME_LENGTH, 63 - '__superseded'.length);
    assert.equal(placementProblem({ layer: 'raw', name: 'x'.repeat(MAX_TABLE_NAME_LENGTH) }), undefined);
    assert.match(placementProblem({ layer: 'raw', folder: 'f', name: 'x'.repeat(MAX_TABLE_NAME_LENGTH - 2) }) ?? '', /is 52 characters long: at most 51 are allowed, so that its companion "<name>__superseded" fits/);
    assert.equal(placementProblem({ layer: 'l'.repeat(63), name: 't' }), undefined);
    assert.match(placementProblem({ layer: 'l'.repeat(64), name: 't' }) ?? '', /is 64 characters long: at most 63/);
  });

  test('table specs: columns valid, unique regardless of case, not system names; a real primary key', () => {
    const spec = { placement: { layer: 'raw', name: 't' }, columns: [{ name: 'id', type: 'string' as const }], primaryKey: ['id'] };
    assert.deepEqual(validateTableSpec(spec), { schema: 'raw', table: 't' });
    assert.throws(() => validateTableSpec({ ...spec, columns: [] }), /at least one column/);
    assert.throws(() => validateTableSpec({ ...spec, columns: [...spec.columns, { name: '_supportsync_rid', type: 'integer' }] }), /reserved for the warehouse/);
    assert.throws(() => validateTableSpec({ ...spec, columns: [...spec.columns, { name: '_Valid_To', type: 'timestamp' }] }), /clashes with a system column/);
  });
});

describe('DuckDB quoting', () => {
  test('identifiers are always quoted, embedded quotes doubled', () => {
    assert.equal(quoteIdent('tickets'), '"tickets"');
    assert.equal(quoteIdent('a"b'), '"a""b"');
    assert.equal(qualify('raw', 'x"; DROP TABLE y; --'), '"raw"."x""; DROP TABLE y; --"');
    assert.deepEqual(sqlNames({ layer: 'raw', folder: 'gleap', name: 'tickets' }), {
      schema: 'raw',
      table: 'gleap__tickets',
      superseded: 'gleap__tickets__superseded',
      qualified: '"raw"."gleap__tickets"',
      qualifiedHistory: '"raw"."gleap__tickets__history"',
      qualifiedSuperseded: '"raw"."gleap__tickets__superseded"',
      qualifiedAsOf: '"raw"."gleap__tickets__as_of"',
    });
    assert.throws(() => sqlNames({ layer: 'raw', name: 'x"y' }), WarehouseError, 'validation runs before quoting');
  });
});
