/** describeError: a source's bare setting names, named in full by whoever prints the error. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AuthError, describeError, HttpError, SupportSyncError, sourceSettingPath } from '../errors.ts';
import { registerSecret } from '../redact.ts';

describe('describeError', () => {
  test('renames every setting the error lists, wherever the message names it in backticks', () => {
    const err = new AuthError('verify `email` (a@b.com) and `apiToken`; `email` needs the API User permission', 401, ['email', 'apiToken']);
    assert.equal(
      describeError(err, sourceSettingPath(2)),
      'verify `sources[2].config.email` (a@b.com) and `sources[2].config.apiToken`; `sources[2].config.email` needs the API User permission',
      'both settings, every occurrence',
    );
    assert.equal(err.message, 'verify `email` (a@b.com) and `apiToken`; `email` needs the API User permission', 'the error itself is unchanged');
  });

  test('leaves alone what the error does not list, and whatever is not in backticks', () => {
    const err = new HttpError('GET /x failed. Check `baseUrl` (server http://h), not `timeoutMs`; baseUrl is from the file', {
      status: 0, method: 'GET', url: 'http://h/x', code: 'HTTP_NETWORK', disposition: 'retry', settings: ['baseUrl'],
    });
    assert.equal(
      describeError(err, sourceSettingPath(0)),
      'GET /x failed. Check `sources[0].config.baseUrl` (server http://h), not `timeoutMs`; baseUrl is from the file',
      'only the listed setting in backticks is renamed',
    );
  });

  test('without a namer, or for errors that list no setting, the message as it is', () => {
    const named = new AuthError('verify `apiKey`', 401, ['apiKey']);
    assert.equal(describeError(named), 'verify `apiKey`', 'no namer: bare names');
    assert.equal(describeError(new SupportSyncError('check `apiKey`', { code: 'X', phase: 'source' }), sourceSettingPath(1)), 'check `apiKey`', 'no settings listed');
    assert.equal(describeError(new Error('plain `apiKey`'), sourceSettingPath(1)), 'plain `apiKey`', 'a plain Error');
    assert.equal(describeError('a string', sourceSettingPath(1)), 'a string', 'a thrown string');
    assert.deepEqual(new SupportSyncError('m', { code: 'X', phase: 'source' }).settings, [], 'settings default to none');
  });

  test('the text is redacted', () => {
    registerSecret('secret-value-9931');
    const err = new AuthError('key secret-value-9931 refused: verify `apiKey`', 401, ['apiKey']);
    assert.equal(describeError(err, sourceSettingPath(0)), 'key *** refused: verify `sources[0].config.apiKey`', 'secret masked, setting named');
  });
});
