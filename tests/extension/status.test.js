// Engine status from host events, the CRM page status and the plain-language wording (pure).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {engineFromEvent, engineFromStatus, engineUnavailable, initialEngine, pageStatus} from '../../extension/background/engine-view.js';
import {describeStatus, formatPhone} from '../../extension/shared/status-text.js';
import {errorFromPortClose} from '../../extension/shared/errors.js';

const up = {state: 'connected', lastError: null};
const hello = {hostVersion: '0.1.0', protocolVersion: 1};

test('linkedEngineIsConnectedForThePageWithItsPhone', () => {
  const engine = engineFromStatus(initialEngine(), {state: 'connected', account: {jid: '919876543210:3@s.whatsapp.net', pushName: 'Asha'}});
  assert.deepEqual(pageStatus(up, engine), {
    status: 'connected', phoneNumber: '919876543210', qrCodeAvailable: false,
    hostState: 'connected', engineState: 'connected', problem: null,
  });
});

test('phoneAndNameComeFromTheAccountJidAndAreForgottenOnLogout', () => {
  const linked = engineFromStatus(initialEngine(), {state: 'connected', account: {jid: '919876543210:3@s.whatsapp.net', pushName: 'Asha'}});
  assert.deepEqual([linked.phoneNumber, linked.pushName], ['919876543210', 'Asha']);
  const offline = engineFromStatus(linked, {state: 'disconnected', reason: 'network'});
  assert.equal(offline.phoneNumber, '919876543210');
  const out = engineFromStatus(offline, {state: 'loggedOut', reason: 'loggedOutByPhone'});
  assert.deepEqual([out.phoneNumber, out.pushName], [null, null]);
  assert.equal(engineFromStatus(initialEngine(), {state: 'connected', account: {jid: '<script>@x'}}).phoneNumber, null);
});

test('engineStatesOfTheProtocolMapToThePageStates', () => {
  const expected = {unlinked: 'disconnected', linking: 'connecting', connecting: 'connecting', connected: 'connected',
    disconnected: 'disconnected', loggedOut: 'disconnected', unavailable: 'disconnected'};
  for (const [state, page] of Object.entries(expected)) {
    assert.equal(pageStatus(up, engineFromStatus(initialEngine(), {state})).status, page, state);
  }
});

test('describeOfflineEngineSaysItReconnects', () => {
  const v = describeStatus({connection: {state: 'connected', host: hello, lastError: null}, engine: engineFromStatus(initialEngine(), {state: 'disconnected'})});
  assert.equal(v.headline, 'WhatsApp is offline');
  assert.equal(v.canLogout, true);
  assert.equal(describeStatus({connection: {state: 'connected', host: hello, lastError: null}, engine: engineFromStatus(initialEngine(), {state: 'linking'})}).tone, 'wait');
});

test('qrEventMakesAQrAvailableUntilLinked', () => {
  let engine = engineFromStatus(initialEngine(), {state: 'linking'});
  engine = engineFromEvent(engine, 'link.qr', {code: '2@abc', pngBase64: 'iVBOR', expiresAt: 123});
  assert.deepEqual(engine.qr, {code: '2@abc', pngBase64: 'iVBOR', expiresAt: 123});
  assert.equal(pageStatus(up, engine).status, 'connecting');
  assert.equal(pageStatus(up, engine).qrCodeAvailable, true);
  engine = engineFromEvent(engine, 'engine.state', {state: 'connected'});
  assert.equal(engine.qr, null);
});

test('malformedEventsLeaveTheEngineAsItWas', () => {
  const engine = initialEngine();
  assert.equal(engineFromEvent(engine, 'link.qr', {code: 5}), engine);
  assert.equal(engineFromEvent(engine, 'link.qr', null), engine);
  assert.equal(engineFromEvent(engine, 'link.pairingCode', {}), engine);
  assert.equal(engineFromEvent(engine, 'message.incoming', {text: 'secret'}), engine);
  assert.equal(engineFromStatus(engine, 'nope'), engine);
});

test('hostDownIsDisconnectedWithThePlainProblem', () => {
  const s = pageStatus({state: 'disconnected', lastError: errorFromPortClose('Specified native messaging host not found.')}, initialEngine());
  assert.equal(s.status, 'disconnected');
  assert.match(s.problem, /install-host\.sh/);
  assert.equal(pageStatus({state: 'connecting', lastError: null}, initialEngine()).status, 'connecting');
});

test('describeSaysHelperNotInstalledWithTheCommand', () => {
  const v = describeStatus({connection: {state: 'disconnected', host: null, lastError: errorFromPortClose('Specified native messaging host not found.')}, engine: initialEngine()});
  assert.equal(v.tone, 'problem');
  assert.equal(v.headline, 'Helper app not installed');
  assert.match(v.detail, /install-host\.sh/);
  assert.equal(v.canLink, false);
});

test('describeEngineNotServedDisablesLinking', () => {
  const v = describeStatus({connection: {state: 'connected', host: hello, lastError: null}, engine: engineUnavailable(initialEngine())});
  assert.equal(v.headline, 'Helper app ready');
  assert.equal(v.hostLine, 'Connected · version 0.1.0');
  assert.equal(v.canLink, false);
  assert.equal(v.canLogout, false);
});

test('describeLinkedOffersLogoutAndShowsThePhone', () => {
  const engine = engineFromStatus(initialEngine(), {state: 'connected', account: {jid: '919876543210:3@s.whatsapp.net', pushName: 'Asha'}});
  const v = describeStatus({connection: {state: 'connected', host: hello, lastError: null}, engine});
  assert.deepEqual([v.tone, v.linked, v.canLogout, v.canLink], ['ok', true, true, false]);
  assert.match(v.detail, /\+91 98765 43210/);
});

test('describeNotLinkedOffersLinking', () => {
  const v = describeStatus({connection: {state: 'connected', host: hello, lastError: null}, engine: engineFromStatus(initialEngine(), {state: 'loggedOut'})});
  assert.deepEqual([v.headline, v.canLink], ['WhatsApp not linked', true]);
  assert.equal(describeStatus(null).tone, 'wait');
});

test('phonesAreFormattedFromDigitsOnly', () => {
  assert.equal(formatPhone('919876543210'), '+91 98765 43210');
  assert.equal(formatPhone('14155550100'), '+14155550100');
  assert.equal(formatPhone('<b>1</b>'), '+1');
  assert.equal(formatPhone(null), '');
});

test('helloReportingAnUnavailableEngineDisablesLinkingAtOnce', () => {
  const engine = engineFromStatus(initialEngine(), {state: 'unavailable'});
  assert.equal(engine.unavailable, true);
  assert.equal(describeStatus({connection: {state: 'connected', host: hello, lastError: null}, engine}).canLink, false);
  assert.equal(engineFromStatus(engine, {state: 'loggedOut'}).unavailable, false);
});
