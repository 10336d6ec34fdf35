// Chrome's native messaging error strings and host error codes in plain language (shared/errors.js).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {HostErrorCode} from '../../extension/shared/protocol.js';
import {ErrorCode, errorFromHost, errorFromPortClose, isEngineUnavailable, makeError, needsUserAction} from '../../extension/shared/errors.js';

test('hostNotFoundSaysRunInstallHost', () => {
  const e = errorFromPortClose('Specified native messaging host not found.');
  assert.equal(e.code, ErrorCode.hostNotInstalled);
  assert.match(e.message, /not installed/);
  assert.match(e.message, /install-host\.sh/);
  assert.equal(e.detail, 'Specified native messaging host not found.');
  assert.ok(needsUserAction(e));
});

test('everyChromeErrorStringMapsToItsOwnCode', () => {
  const cases = {
    'Access to the specified native messaging host is forbidden.': ErrorCode.hostForbidden,
    'Invalid native messaging host name specified.': ErrorCode.hostNameInvalid,
    'Native host has exited.': ErrorCode.hostExited,
    'Error when communicating with the native messaging host.': ErrorCode.hostCommunication,
    'Failed to start native messaging host.': ErrorCode.hostFailedToStart,
    'Native messaging host io.crm_whatsapp.host is not registered.': ErrorCode.hostNotInstalled,
    'No such native application io.crm_whatsapp.host': ErrorCode.hostNotInstalled,
    'Native application tried to send a message of 1048643 bytes, which exceeds the limit of 1048576 bytes.': ErrorCode.hostCommunication,
  };
  for (const [text, code] of Object.entries(cases)) assert.equal(errorFromPortClose(text).code, code, text);
});

test('forbiddenAndFailedToStartNeedTheUserButExitDoesNot', () => {
  assert.ok(needsUserAction(errorFromPortClose('Access to the specified native messaging host is forbidden.')));
  assert.ok(needsUserAction(errorFromPortClose('Failed to start native messaging host.')));
  assert.ok(!needsUserAction(errorFromPortClose('Native host has exited.')));
  assert.ok(!needsUserAction(errorFromPortClose(null)));
});

test('unknownOrMissingBrowserTextIsAPlainDisconnect', () => {
  assert.equal(errorFromPortClose(undefined).code, ErrorCode.hostDisconnected);
  assert.equal(errorFromPortClose(undefined).detail, undefined);
  const e = errorFromPortClose('Something new in Chrome 200');
  assert.equal(e.code, ErrorCode.hostDisconnected);
  assert.equal(e.detail, 'Something new in Chrome 200');
});

test('hostErrorKeepsCodeNameAndHostWordsAsDetail', () => {
  const e = errorFromHost({code: 20, message: 'engine not available'});
  assert.equal(e.code, ErrorCode.hostError);
  assert.equal(e.hostCode, 20);
  assert.equal(e.hostName, 'engineUnavailable');
  assert.equal(e.detail, 'engine not available');
  assert.match(e.message, /not available in this version/);
  assert.ok(isEngineUnavailable(e));
});

test('hostRefusingOurOriginNeedsTheUserOtherHostErrorsDoNot', () => {
  assert.ok(needsUserAction(errorFromHost({code: 8, message: 'origin not allowed'})));
  assert.ok(!needsUserAction(errorFromHost({code: 20, message: 'engine'})));
  assert.ok(!needsUserAction(errorFromHost({code: 7, message: 'internal'})));
});

test('unknownHostCodeStillGetsAPlainMessageWithTheNumber', () => {
  const e = errorFromHost({code: 77, message: 'future'});
  assert.equal(e.hostName, undefined);
  assert.match(e.message, /code 77/);
  assert.ok(!isEngineUnavailable(e));
});

test('everyErrorCodeHasAPlainMessage', () => {
  for (const code of Object.values(ErrorCode)) {
    const e = makeError(code);
    assert.ok(e.message.length > 10 && !/undefined/.test(e.message), code);
  }
});

test('everyHostErrorCodeHasItsOwnPlainMessage', () => {
  const generic = errorFromHost({code: 999, message: 'x'}).message;
  const seen = new Set();
  for (const [name, code] of Object.entries(HostErrorCode)) {
    const e = errorFromHost({code, message: 'host words'});
    assert.equal(e.hostName, name);
    assert.notEqual(e.message, generic.replace('999', String(code)), name);
    assert.ok(!seen.has(e.message), name);
    seen.add(e.message);
  }
  assert.match(errorFromHost({code: 25, message: 'busy'}).message, /another browser/i);
  assert.match(errorFromHost({code: 24, message: 'bad url'}).message, /Setup and diagnostics/);
});
