// CSV cells and rows: RFC 4180 quoting, numbers a spreadsheet reads, formula-looking text neutralised.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { csvField, csvRow } from '../../src/usage/csv.ts';
import { parseCsv } from '../helpers/parse-csv.ts';

describe('csv', () => {
  test('fields are quoted only when they must be, quotes doubled', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField(null), '');
    assert.equal(csvField(undefined), '');
    assert.equal(csvField(true), 'true');
  });

  test('numbers are written in fixed notation', () => {
    assert.equal(csvField(42), '42');
    assert.equal(csvField(0.000000015), '0.000000015');
    assert.equal(csvField(1.5), '1.5');
    assert.equal(csvField(-300), '-300');
  });

  test('text a spreadsheet would evaluate as a formula is prefixed', () => {
    assert.equal(csvField('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
    assert.equal(csvField('+1'), "'+1");
    assert.equal(csvField('@sum'), "'@sum");
  });

  test('rows end in CRLF and parse back to the same values', () => {
    const values = ['id,1', 'quote " inside', 'multi\r\nline', '', 'ok'];
    const text = csvRow(['a', 'b', 'c', 'd', 'e']) + csvRow(values);
    assert.ok(text.endsWith('\r\n'));
    assert.deepEqual(parseCsv(text), [['a', 'b', 'c', 'd', 'e'], values]);
  });
});
