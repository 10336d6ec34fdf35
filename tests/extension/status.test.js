// The worker's engine store (background/engine-view.js), the CRM page status, and the plain-language
// wording of every state and reason of the linking contract (shared/status-text.js). All pure.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
  EngineState, MAX_IDENTITY_CHANGES, dismissIdentityChanges, engineFromEvent, engineFromStatus, engineUnavailable,
  initialEngine, pageStatus, phoneOfJid,
} from '../../extension/background/engine-view.js';
import {
  checkLinkPhone, describeStatus, formatClock, formatCountdown, formatPairingCode, formatPhone, phonePrefill,
} from '../../extension/shared/status-text.js';
import {errorFromPortClose} from '../../extension/shared/errors.js';

const up = {state: 'connected', lastError: null};
const hello = {hostVersion: '0.1.0', protocolVersion: 1};
const account = {jid: '919876543210:3@s.whatsapp.net', lid: '123456789:3@lid', phone: '919876543210', pushName: 'Asha'};
const NOW = Date.UTC(2026, 11, 3, 9, 0, 0);
const status = (payload, from = initialEngine()) => engineFromStatus(from, payload);
const view = (engine, options = {}) => describeStatus({connection: {state: 'connected', host: hello, lastError: null}, engine}, {now: NOW, timeZone: 'UTC', ...options});

/** Every state and reason of the linking contract (CONTRACT: "Reasons by state"). */
const CONTRACT = {
  unavailable: [undefined, 'configuration', 'storeUnavailable'],
  unlinked: [undefined, 'qrExpired', 'cancelled', 'passkeyRequired', 'pairingFailed', 'pairingCodeFailed', 'linkIncomplete'],
  linking: [undefined],
  connecting: [undefined],
  connected: [undefined],
  disconnected: ['network', 'keepAliveTimeout', 'serverUnavailable', 'restart'],
  stopped: ['replaced', 'inUseElsewhere', 'clientOutdated', 'banned'],
  loggedOut: ['loggedOutByPhone', 'loggedOutByUser'],
};
const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

// ---- the engine store ---------------------------------------------------------------------------

test('statusObjectIsReadWithEveryContractField', () => {
  const e = status({state: 'disconnected', reason: 'network', retryAt: NOW + 8000, account});
  assert.deepEqual([e.state, e.reason, e.retryAt, e.phoneNumber, e.pushName, e.jid], ['disconnected', 'network', NOW + 8000, '919876543210', 'Asha', account.jid]);
  const b = status({state: 'stopped', reason: 'banned', code: 403, until: NOW + 3_600_000});
  assert.deepEqual([b.code, b.until, b.retryAt], [403, NOW + 3_600_000, null]);
  const u = status({state: 'unavailable', reason: 'configuration', message: 'serverURL is not a wss:// address'});
  assert.deepEqual([u.unavailable, u.message], [true, 'serverURL is not a wss:// address']);
  assert.equal(status({state: 'linking', method: 'phone'}).method, 'phone');
  assert.equal(status({state: 'connecting', method: 'phone'}).method, null);
});

test('phoneComesFromTheAccountOrItsJidAndIsForgottenWhenUnlinked', () => {
  assert.equal(status({state: 'connected', account: {jid: '14155550100:7@s.whatsapp.net'}}).phoneNumber, '14155550100');
  assert.equal(phoneOfJid('123456789:3@lid'), null);
  assert.equal(status({state: 'connected', account: {jid: '<script>@s.whatsapp.net'}}).phoneNumber, null);
  const linked = status({state: 'connected', account});
  const offline = status({state: 'disconnected', reason: 'network'}, linked);
  assert.deepEqual([offline.phoneNumber, offline.pushName], ['919876543210', 'Asha'], 'kept while reconnecting');
  for (const state of ['loggedOut', 'unlinked', 'linking']) {
    const e = status({state}, offline);
    assert.deepEqual([e.phoneNumber, e.pushName, e.jid], [null, null, null], state);
  }
});

test('malformedStatusFieldsAreDroppedNotTrusted', () => {
  const e = status({state: 'disconnected', reason: 'net work<>', retryAt: 'soon', code: 1.5, message: 7, account: {phone: '12', pushName: 5}});
  assert.deepEqual([e.reason, e.retryAt, e.code, e.message, e.phoneNumber, e.pushName], [null, null, null, null, null, null]);
  assert.equal(status({state: 'x'.repeat(80)}).state, 'unknown');
  const engine = initialEngine();
  for (const p of [null, 'connected', [], {}, {state: 5}]) assert.equal(engineFromStatus(engine, p), engine, JSON.stringify(p));
  assert.equal(status({state: 'connected', account: {pushName: 'x'.repeat(500)}}).pushName.length, 128);
});

test('qrEventIsTheCurrentQrUntilLinkingEnds', () => {
  let e = status({state: 'linking', method: 'qr'});
  e = engineFromEvent(e, 'link.qr', {code: 'https://wa.me/settings/linked_devices#a,b,c,d,1', pngBase64: png, expiresAt: NOW + 60_000, index: 1});
  assert.deepEqual(e.qr, {code: 'https://wa.me/settings/linked_devices#a,b,c,d,1', pngBase64: png, expiresAt: NOW + 60_000, index: 1});
  e = engineFromEvent(e, 'link.qr', {code: 'second', pngBase64: png, expiresAt: NOW + 80_000, index: 2});
  assert.equal(e.qr.index, 2, 'a new ref replaces the old QR');
  assert.equal(status({state: 'linking', method: 'qr'}, e).qr.index, 2, 'a repeated linking status keeps it');
  for (const end of [{state: 'connecting'}, {state: 'unlinked', reason: 'qrExpired'}, {state: 'unlinked', reason: 'cancelled'}, {state: 'linking', method: 'phone'}]) {
    assert.equal(status(end, e).qr, null, JSON.stringify(end));
  }
});

test('pairingCodeIsKeptUpperCaseUntilLinkingEnds', () => {
  let e = status({state: 'linking', method: 'phone'});
  e = engineFromEvent(e, 'link.pairingCode', {code: 'abcd1234', expiresAt: NOW + 180_000});
  assert.deepEqual(e.pairingCode, {code: 'ABCD1234', expiresAt: NOW + 180_000});
  assert.equal(status({state: 'linking', method: 'qr'}, e).pairingCode, null, 'switching to QR drops the code');
  assert.equal(status({state: 'connected', account}, e).pairingCode, null);
  assert.equal(engineFromEvent(e, 'link.qr', {code: 'q', pngBase64: png}).pairingCode, null, 'a QR replaces the code');
});

test('linkEventsAreIgnoredOnceLinkedOrWhenMalformed', () => {
  const linked = status({state: 'connected', account});
  assert.equal(engineFromEvent(linked, 'link.qr', {code: 'late', pngBase64: png}), linked);
  assert.equal(engineFromEvent(linked, 'link.pairingCode', {code: 'ABCD1234'}), linked);
  const e = status({state: 'linking'});
  for (const p of [null, {code: 5}, {code: ''}, {code: 'x'.repeat(3000)}]) assert.equal(engineFromEvent(e, 'link.qr', p), e, JSON.stringify(p));
  assert.equal(engineFromEvent(e, 'link.qr', {code: 'q', pngBase64: '"><script>'}).qr.pngBase64, null, 'not base64: no image');
  for (const p of [{}, {code: 'ABC'}, {code: 'ABCD-1234'}, {code: 'ABCD12345'}]) assert.equal(engineFromEvent(e, 'link.pairingCode', p), e, JSON.stringify(p));
  assert.equal(engineFromEvent(e, 'message.incoming', {text: 'secret'}), e);
});

test('identityChangesAreAShortNewestFirstListWithoutRepeats', () => {
  let e = initialEngine();
  e = engineFromEvent(e, 'contact.identityChanged', {jid: '14155550100@s.whatsapp.net'}, 1000);
  e = engineFromEvent(e, 'contact.identityChanged', {jid: '919876543210@s.whatsapp.net'}, 2000);
  e = engineFromEvent(e, 'contact.identityChanged', {jid: '14155550100@s.whatsapp.net'}, 3000);
  assert.deepEqual(e.identityChanges, [
    {jid: '14155550100@s.whatsapp.net', phone: '14155550100', at: 3000},
    {jid: '919876543210@s.whatsapp.net', phone: '919876543210', at: 2000},
  ]);
  for (let i = 0; i < 30; i++) e = engineFromEvent(e, 'contact.identityChanged', {jid: `${4915100000000 + i}@s.whatsapp.net`}, i);
  assert.equal(e.identityChanges.length, MAX_IDENTITY_CHANGES);
  assert.equal(engineFromEvent(e, 'contact.identityChanged', {jid: '<img src=x>@x'}), e);
  assert.equal(engineFromEvent(e, 'contact.identityChanged', {jid: 42}), e);
  assert.deepEqual(dismissIdentityChanges(e).identityChanges, []);
  assert.deepEqual(status({state: 'connected', account}, e).identityChanges, e.identityChanges, 'status changes keep the list');
});

test('engineUnavailableAnswerMarksTheEngineUnavailable', () => {
  const e = engineUnavailable(engineFromEvent(status({state: 'linking'}), 'link.qr', {code: 'q', pngBase64: png}));
  assert.deepEqual([e.state, e.unavailable, e.qr], ['unavailable', true, null]);
  assert.equal(status({state: 'loggedOut'}, e).unavailable, false);
});

// ---- the CRM page status ------------------------------------------------------------------------

test('everyEngineStateMapsToTheOriginalContractsThreeValues', () => {
  const expected = {
    unknown: 'connecting', unavailable: 'disconnected', unlinked: 'disconnected', linking: 'connecting',
    connecting: 'connecting', connected: 'connected', disconnected: 'connecting', stopped: 'disconnected', loggedOut: 'disconnected',
  };
  assert.deepEqual(Object.keys(expected).sort(), Object.values(EngineState).sort());
  for (const [state, page] of Object.entries(expected)) {
    const e = state === 'unknown' ? initialEngine() : status({state});
    assert.equal(pageStatus(up, e).status, page, state);
  }
});

test('linkedPageStatusCarriesThePhoneAndTheExactEngineState', () => {
  assert.deepEqual(pageStatus(up, status({state: 'connected', account})), {
    status: 'connected', phoneNumber: '919876543210', qrCodeAvailable: false, hostState: 'connected',
    engineState: 'connected', engineReason: null, retryAt: null, problem: null,
  });
  const off = pageStatus(up, status({state: 'disconnected', reason: 'network', retryAt: NOW + 5000, account}));
  assert.deepEqual([off.status, off.phoneNumber, off.engineReason, off.retryAt], ['connecting', null, 'network', NOW + 5000]);
  const qr = engineFromEvent(status({state: 'linking', method: 'qr'}), 'link.qr', {code: 'q', pngBase64: png});
  assert.equal(pageStatus(up, qr).qrCodeAvailable, true);
});

test('hostDownIsDisconnectedWithThePlainProblem', () => {
  const s = pageStatus({state: 'disconnected', lastError: errorFromPortClose('Specified native messaging host not found.')}, initialEngine());
  assert.equal(s.status, 'disconnected');
  assert.match(s.problem, /install-host\.sh/);
  assert.equal(pageStatus({state: 'connecting', lastError: null}, initialEngine()).status, 'connecting');
});

// ---- plain words ---------------------------------------------------------------------------------

test('everyStateAndReasonOfTheContractHasItsOwnPlainWordsAndSomethingToDo', () => {
  const seen = new Map();
  for (const [state, reasons] of Object.entries(CONTRACT)) {
    for (const reason of reasons) {
      const e = status({state, reason, account: state === 'connected' || state === 'disconnected' ? account : undefined, code: 403, retryAt: NOW + 9000});
      const v = view(e);
      const key = `${state}/${reason}`;
      assert.ok(v.headline.length > 8 && v.detail.length > 20, key);
      assert.doesNotMatch(v.headline + v.detail + v.engineLine, /undefined|null|NaN|\$\{/, key);
      assert.match(v.detail, /[.…]$/, key);
      const waitsByItself = ['unavailable/undefined', 'linking/undefined', 'connecting/undefined', 'connected/undefined'].includes(key) || state === 'disconnected';
      assert.ok(waitsByItself || Object.keys(v.actions).length > 0, `${key} offers an action`);
      const text = v.headline + '|' + v.detail;
      assert.ok(state === 'disconnected' || !seen.has(text), `${key} has the same words as ${seen.get(text)}`);
      seen.set(text, key);
    }
  }
});

test('hostStatesSayWhatToDo', () => {
  const notInstalled = describeStatus({connection: {state: 'disconnected', host: null, lastError: errorFromPortClose('Specified native messaging host not found.')}, engine: initialEngine()});
  assert.deepEqual([notInstalled.tone, notInstalled.headline, notInstalled.canLink], ['problem', 'Helper app not installed', false]);
  assert.match(notInstalled.detail, /install-host\.sh/);
  assert.ok('openOptions' in notInstalled.actions);
  assert.equal(describeStatus(null).headline, 'Connecting to the helper app…');
  assert.equal(view(initialEngine()).headline, 'Checking WhatsApp…');
});

test('linkedShowsTheFormattedNumberAndNameAndOffersUnlinkOnly', () => {
  const v = view(status({state: 'connected', account}));
  assert.deepEqual([v.tone, v.linked, v.canLogout, v.canLink], ['ok', true, true, false]);
  assert.deepEqual(v.account, {phone: '+91 98765 43210', name: 'Asha'});
  assert.match(v.detail, /\+91\s98765\s43210 \(Asha\)/);
  assert.equal(v.engineLine, 'Linked · +91 98765 43210');
});

test('qrLinkingShowsTheImageWithItsCountdown', () => {
  const e = engineFromEvent(status({state: 'linking', method: 'qr'}), 'link.qr', {code: 'q', pngBase64: png, expiresAt: NOW + 20_000, index: 2});
  const v = view(e);
  assert.equal(v.link, 'qr');
  assert.deepEqual(v.qr, {src: 'data:image/png;base64,' + png, index: 2});
  assert.deepEqual(v.countdown, {at: NOW + 20_000, label: 'Expires in', done: 'Getting a new code…'});
  assert.match(v.detail, /Settings → Linked devices → Link a device/);
  assert.ok('cancelLink' in v.actions && 'linkPhone' in v.actions && !('linkQr' in v.actions));
  assert.equal(view(status({state: 'linking', method: 'qr'})).headline, 'Getting a QR code…');
});

test('qrExpiredOffersRetry', () => {
  const v = view(status({state: 'unlinked', reason: 'qrExpired'}));
  assert.equal(v.headline, 'QR expired — retry');
  assert.equal(v.actions.linkQr, 'Retry with a new QR code');
  assert.equal(v.primary, 'linkQr');
});

test('phoneLinkingShowsTheDashedCodeWhereToTypeItAndANewCodeOnceExpired', () => {
  const e = engineFromEvent(status({state: 'linking', method: 'phone'}), 'link.pairingCode', {code: 'ABCD1234', expiresAt: NOW + 60_000});
  const v = view(e);
  assert.deepEqual([v.link, v.pairingCode], ['phone', 'ABCD-1234']);
  assert.match(v.detail, /Linked devices → Link a device → Link with phone number instead/);
  assert.equal(v.countdown.at, NOW + 60_000);
  assert.ok(!('linkPhone' in v.actions));
  const later = view(e, {now: NOW + 61_000});
  assert.equal(later.actions.linkPhone, 'Get a new code');
  assert.equal(later.primary, 'linkPhone');
  assert.equal(view(status({state: 'linking', method: 'phone'})).headline, 'Getting your code…');
});

test('reconnectingCountsDownToTheNextAttempt', () => {
  const v = view(status({state: 'disconnected', reason: 'serverUnavailable', retryAt: NOW + 12_000, account}));
  assert.equal(v.headline, 'WhatsApp is reconnecting');
  assert.deepEqual(v.countdown, {at: NOW + 12_000, label: 'Next attempt in', done: 'Reconnecting now…'});
  assert.match(v.detail, /busy/);
  assert.equal(view(status({state: 'disconnected'})).countdown, null);
});

test('stoppedStatesOfferTheRightAction', () => {
  const replaced = view(status({state: 'stopped', reason: 'replaced', code: 440}));
  assert.deepEqual([replaced.actions.reconnectHost, replaced.primary], ['Use here', 'reconnectHost']);
  assert.match(view(status({state: 'stopped', reason: 'inUseElsewhere'})).detail, /takes over by itself/);
  const outdated = view(status({state: 'stopped', reason: 'clientOutdated', code: 405}));
  assert.match(outdated.detail, /Update it/);
  assert.match(outdated.detail, /code 405/);
});

test('banShowsTheCodeAndTheUntilTime', () => {
  const temp = view(status({state: 'stopped', reason: 'banned', code: 403, until: Date.UTC(2026, 11, 3, 14, 5)}));
  assert.match(temp.detail, /\(code 403\) until 14:05\./);
  const later = view(status({state: 'stopped', reason: 'banned', code: 403, until: Date.UTC(2026, 11, 5, 14, 5)}));
  assert.match(later.detail, /until 5 Dec, 14:05\./);
  const forever = view(status({state: 'stopped', reason: 'banned', code: 403}));
  assert.equal(forever.headline, 'WhatsApp has banned this number');
});

test('configurationProblemShowsTheHostsMessageAndPointsToDiagnostics', () => {
  const v = view(status({state: 'unavailable', reason: 'configuration', message: 'The server address is not a wss:// address'}));
  assert.match(v.detail, /^The server address is not a wss:\/\/ address\. Open Setup and diagnostics/);
  assert.equal(v.primary, 'openOptions');
  const old = view(engineUnavailable(initialEngine()));
  assert.deepEqual([old.headline, old.hostLine, old.canLink, old.canLogout], ['Helper app ready', 'Connected · version 0.1.0', false, false]);
});

test('loggedOutByPhoneSaysSoAndOffersLinkAgain', () => {
  const v = view(status({state: 'loggedOut', reason: 'loggedOutByPhone'}));
  assert.equal(v.headline, 'Unlinked from your phone');
  assert.equal(v.actions.linkQr, 'Link again');
  assert.equal(v.account, null);
});

// ---- formatting ---------------------------------------------------------------------------------

test('countdownsAreMinutesAndSecondsRoundedUp', () => {
  const cases = [[0, '0:00'], [-5, '0:00'], [NaN, '0:00'], [1, '0:01'], [999, '0:01'], [1000, '0:01'], [1001, '0:02'],
    [45_000, '0:45'], [60_000, '1:00'], [125_000, '2:05'], [3_600_000, '1:00:00'], [3_725_000, '1:02:05']];
  for (const [ms, text] of cases) assert.equal(formatCountdown(ms), text, String(ms));
});

test('clockTimesShowTheDateOnlyForAnotherDay', () => {
  assert.equal(formatClock(Date.UTC(2026, 11, 3, 23, 59), NOW, 'UTC'), '23:59');
  assert.equal(formatClock(Date.UTC(2026, 11, 4, 0, 1), NOW, 'UTC'), '4 Dec, 00:01');
});

test('pairingCodesAreShownAsTwoGroupsOfFour', () => {
  assert.equal(formatPairingCode('ABCD1234'), 'ABCD-1234');
  assert.equal(formatPairingCode('wxyz9876'), 'WXYZ-9876');
  for (const bad of ['ABCD123', 'ABCD-1234', '<b>ABCD', null, 12345678]) assert.equal(formatPairingCode(bad), '', String(bad));
});

test('phonesAreFormattedPerCallingCodeFromDigitsOnly', () => {
  assert.equal(formatPhone('919876543210'), '+91 98765 43210');
  assert.equal(formatPhone('14155550100'), '+1 415 555 0100');
  assert.equal(formatPhone('447700900123'), '+44 7700 900123');
  assert.equal(formatPhone('49301234567'), '+49 301 234 567');
  assert.equal(formatPhone('971501234567'), '+971 501 234 567');
  assert.equal(formatPhone('5511987654321'), '+55 119 876 543 21');
  assert.equal(formatPhone('<b>1</b>'), '+1');
  assert.equal(formatPhone(null), '');
  assert.equal(formatPhone(''), '');
});

test('theNumberToLinkIsCheckedWithTheCountrySettingAndPrefilled', () => {
  assert.equal(phonePrefill('91'), '+91 ');
  assert.equal(phonePrefill('bad'), '+');
  assert.deepEqual(checkLinkPhone('+91 98765 43210', '91'), {ok: true, digits: '919876543210', display: '+91 98765 43210'});
  assert.deepEqual(checkLinkPhone('020 7946 0958', '44'), {ok: true, digits: '442079460958', display: '+44 2079 460958'});
  assert.match(checkLinkPhone('+91 ', '91').problem, /Type your WhatsApp number/);
  assert.match(checkLinkPhone('+91 9876', '91').problem, /too short/);
  assert.match(checkLinkPhone('+1 234 567 890 123 456', '91').problem, /at most 15/);
});

test('theMainButtonIsOneOfTheOfferedActionsAndNoneDuringABanOrWhileLinking', () => {
  for (const [state, reasons] of Object.entries(CONTRACT)) {
    for (const reason of reasons) {
      const v = view(status({state, reason, code: 403}));
      assert.ok(v.primary === null || v.primary in v.actions, `${state}/${reason}: ${v.primary}`);
    }
  }
  assert.equal(view(status({state: 'stopped', reason: 'banned', code: 403})).primary, null);
  assert.equal(view(status({state: 'linking', method: 'phone'})).primary, null, 'the QR alternative is not the main button');
  assert.equal(view(status({state: 'linking', method: 'qr'})).primary, null);
});

test('everyStateThatCannotSendSaysWhyInOneSentence', () => {
  for (const [state, reasons] of Object.entries(CONTRACT)) {
    for (const reason of reasons) {
      const v = view(status({state, reason, code: 403}));
      if (state === 'connected') {
        assert.equal(v.sendProblem, null);
        continue;
      }
      assert.match(v.sendProblem, /^[A-Z].{20,}\.$/, `${state}/${reason}`);
      assert.doesNotMatch(v.sendProblem, /…:/, `${state}/${reason}`);
    }
  }
  assert.equal(view(engineUnavailable(initialEngine())).sendProblem, 'WhatsApp linking is not available in this version of the helper app yet.');
  assert.match(view(status({state: 'stopped', reason: 'replaced'})).sendProblem, /^WhatsApp was opened somewhere else: open CRM WhatsApp/);
  assert.equal(describeStatus(null).sendProblem, 'WhatsApp is still starting: try again in a moment.');
});
