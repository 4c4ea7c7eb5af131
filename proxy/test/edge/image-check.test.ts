import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../src/errors.ts';
import { canonicalBase64, sniffImageType } from '../../src/edge/image-bytes.ts';
import { checkImagePayload } from '../../src/edge/image-check.ts';
import { IMAGES } from './images.ts';

test('the four image types are told apart by their first bytes', () => {
  for (const [type, base64] of Object.entries(IMAGES)) {
    assert.equal(sniffImageType(Buffer.from(base64, 'base64')), type);
  }
  assert.equal(sniffImageType(Buffer.from('hello world')), undefined);
});

test('base64 is checked and its padding restored', () => {
  assert.equal(canonicalBase64('QUJD'), 'QUJD');
  assert.equal(canonicalBase64('QUI'), 'QUI=');
  assert.equal(canonicalBase64('QU\nJD'), 'QUJD');
  assert.equal(canonicalBase64('QUJD!'), undefined);
  assert.equal(canonicalBase64('QUJDR'), undefined);
});

function refusal(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    return error;
  }
  assert.fail('expected a 400');
}

test('a wrong declared type is corrected and noted; bad payloads are 400s naming the path', () => {
  const fixed = checkImagePayload('image/gif', IMAGES['image/png'], 'messages[0].content[1].image_url');
  assert.equal(fixed.mediaType, 'image/png');
  assert.match(fixed.note ?? '', /messages\[0\]\.content\[1\]\.image_url declared image\/gif but holds image\/png/);
  assert.equal(checkImagePayload('image/jpg', IMAGES['image/jpeg'], 'p').note, undefined);

  for (const [payload, code] of [['!!!!', 'invalid_image'], ['', 'invalid_image'], [Buffer.from('plain text').toString('base64'), 'invalid_image']] as const) {
    const error = refusal(() => checkImagePayload('image/png', payload, 'messages[3].content[1].image_url'));
    assert.equal(error.status, 400);
    assert.equal(error.param, 'messages[3].content[1].image_url');
    assert.equal(error.code, code);
  }
  const huge = IMAGES['image/png'] + 'A'.repeat(5 * 1024 * 1024);
  assert.equal(refusal(() => checkImagePayload('image/png', huge, 'p')).code, 'image_too_large');
});
