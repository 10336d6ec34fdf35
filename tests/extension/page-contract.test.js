// The CRM page contract helpers (extension/content/page-contract.js, a classic content script).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import vm from 'node:vm';

const source = readFileSync(new URL('../../extension/content/page-contract.js', import.meta.url), 'utf8');
const sandbox = {};
sandbox.globalThis = sandbox;
vm.runInNewContext(source, sandbox);
const c = sandbox.crmWhatsAppPageContract;
const plain = (v) => JSON.parse(JSON.stringify(v));

test('eventNamesAreThoseTheCrmFrontendUses', () => {
  assert.deepEqual(plain(c.PageEvent), {
    requestStatus: 'crm-whatsapp-request-status', status: 'crm-whatsapp-status',
    sendDirect: 'crm-whatsapp-send-direct', send: 'crm-whatsapp-send', openQr: 'crm-whatsapp-open-qr',
    ready: 'crm-whatsapp-ready', messageStatus: 'crm-whatsapp-message-status',
  });
});

test('pageCorrelationIdIsEchoedOrOneIsMade', () => {
  assert.equal(c.correlationId({requestId: 'abc'}, () => 'new'), 'abc');
  assert.equal(c.correlationId({debugId: 'dbg-1'}, () => 'new'), 'dbg-1');
  assert.equal(c.correlationId({requestId: 42}, () => 'new'), '42');
  assert.equal(c.correlationId(null, () => 'new'), 'new');
  assert.equal(c.correlationId({requestId: 'x'.repeat(500)}, () => 'new'), 'new');
  assert.equal(c.correlationId({requestId: {evil: true}}, () => 'new'), 'new');
});

test('sendDirectNeedsPhoneAndMessage', () => {
  assert.deepEqual(plain(c.readSendDirect({phone: '98765 43210', message: 'Hi'})), {ok: true, phone: '98765 43210', message: 'Hi'});
  assert.deepEqual(plain(c.readSendDirect({phone: 9876543210, message: 'Hi'})), {ok: true, phone: '9876543210', message: 'Hi'});
  for (const d of [null, undefined, 'x', {}, {phone: '1'}, {message: 'x'}, {phone: ' ', message: 'x'}, {phone: {}, message: 'x'}]) {
    assert.deepEqual(plain(c.readSendDirect(d)), {ok: false, error: 'Phone and message are required'}, JSON.stringify(d));
  }
  assert.equal(c.readSendDirect({phone: '1'.repeat(65), message: 'x'}).ok, false);
  assert.equal(c.readSendDirect({phone: '9876543210', message: 'x'.repeat(65537)}).ok, false);
});

test('statusDetailKeepsTheOriginalFieldsAndAddsRequestId', () => {
  const d = plain(c.statusDetail({status: 'connected', phoneNumber: '919876543210', qrCodeAvailable: false, hostState: 'connected', engineState: 'connected', engineReason: null, retryAt: null, problem: null}, 'r1'));
  assert.deepEqual(d, {status: 'connected', phoneNumber: '919876543210', qrCodeAvailable: false, hostState: 'connected', engineState: 'connected', engineReason: null, retryAt: null, problem: null, requestId: 'r1'});
  assert.equal('requestId' in c.statusDetail(null), false);
});

test('statusDetailCarriesTheExactEngineStateAndReason', () => {
  const d = plain(c.statusDetail({status: 'connecting', hostState: 'connected', engineState: 'disconnected', engineReason: 'network', retryAt: 1764759600000}));
  assert.deepEqual([d.status, d.engineState, d.engineReason, d.retryAt], ['connecting', 'disconnected', 'network', 1764759600000]);
  const bad = plain(c.statusDetail({status: 'disconnected', engineReason: {}, retryAt: 'soon'}));
  assert.deepEqual([bad.engineReason, bad.retryAt], [null, null]);
});

test('statusDetailNeverInventsAConnection', () => {
  assert.equal(c.statusDetail(null).status, 'disconnected');
  assert.equal(c.statusDetail({status: 'weird'}).status, 'disconnected');
  const d = c.statusDetail({status: 'disconnected', phoneNumber: '91', qrCodeAvailable: true});
  assert.equal(d.phoneNumber, null);
  assert.equal(d.qrCodeAvailable, true);
});

test('sendResultAlwaysCarriesSuccessAndTheIds', () => {
  assert.deepEqual(plain(c.sendResultDetail({ok: true, result: {messageId: 'ABC'}}, 'r2')),
    {success: true, debugId: 'r2', requestId: 'r2', messageId: 'ABC'});
  assert.deepEqual(plain(c.sendResultDetail({ok: false, error: {code: 'hostError', hostName: 'engineUnavailable', message: 'Not yet.'}}, 'r3')),
    {success: false, error: 'Not yet.', errorCode: 'engineUnavailable', debugId: 'r3', requestId: 'r3'});
  assert.equal(c.sendResultDetail(undefined, 'r4').success, false);
  assert.deepEqual(plain(c.sendFailureDetail('WhatsApp not connected', 'notLinked', 'r5')),
    {success: false, error: 'WhatsApp not connected', errorCode: 'notLinked', debugId: 'r5', requestId: 'r5'});
});

test('deliveryStatusReachesThePageUnderTheSendsRequestId', () => {
  assert.deepEqual(plain(c.messageStatusDetail({clientMessageId: 'send-1', messageId: '3EB0', status: 'delivered', timestamp: 1764101234567})),
    {requestId: 'send-1', status: 'delivered', messageId: '3EB0', timestamp: 1764101234567});
  assert.deepEqual(plain(c.messageStatusDetail({clientMessageId: 'send-2', status: 'failed', errorCode: 20})),
    {requestId: 'send-2', status: 'failed', errorCode: 20});
});

test('malformedDeliveryStatusIsDropped', () => {
  for (const p of [null, 'x', {}, {clientMessageId: 'a'}, {clientMessageId: 'a', status: 'exploded'},
    {clientMessageId: '', status: 'sent'}, {clientMessageId: 'x'.repeat(200), status: 'sent'}, {clientMessageId: 5, status: 'sent'}]) {
    assert.equal(c.messageStatusDetail(p), null, JSON.stringify(p));
  }
  assert.equal('messageId' in c.messageStatusDetail({clientMessageId: 'a', status: 'sent', messageId: {}}), false);
});

// ---- the in-page "Link WhatsApp" dialog (dialogView, blockedSend) ---------------------------------

const {describeStatus, formatCountdown} = await import('../../extension/shared/status-text.js');
const {engineFromEvent, initialEngine, pageStatus} = await import('../../extension/background/engine-view.js');
const NOW = Date.UTC(2026, 11, 3, 9, 0, 0);
const up = {state: 'connected', host: {hostVersion: '0.1.0', protocolVersion: 1}, lastError: null};
const png = 'iVBORw0KGgo=';

/** The content script's snapshot, built as the background builds it (service-worker.js `snapshot`). */
function contentSnapshot(payloads, connection = up) {
  let engine = initialEngine();
  for (const [type, payload] of payloads) engine = engineFromEvent(engine, type, payload, NOW);
  return {
    page: pageStatus(connection, engine), view: describeStatus({connection, engine}, {now: NOW}),
    qr: engine.qr, pairingCode: engine.pairingCode, phonePrefill: '+91 ',
  };
}
const state = (payload) => ['engine.state', payload];

test('countdownInThePageIsTheSameAsInThePopup', () => {
  for (let ms = -2000; ms < 3_700_000; ms += 997) assert.equal(c.formatCountdown(ms), formatCountdown(ms), String(ms));
  assert.equal(c.formatCountdown(NaN), formatCountdown(NaN));
});

test('dialogShowsTheLiveQrWithItsCountdownAndClosesWhenConnected', () => {
  const latest = contentSnapshot([state({state: 'linking', method: 'qr'}), ['link.qr', {code: 'q', pngBase64: png, expiresAt: NOW + 30_000, index: 1}]]);
  const v = plain(c.dialogView(latest, NOW + 5_500));
  assert.equal(v.close, false);
  assert.equal(v.qrSrc, 'data:image/png;base64,' + png);
  assert.equal(v.countdown, 'Expires in 0:25');
  assert.deepEqual([v.steps, v.stale, v.detail], ['qr', false, '']);
  assert.deepEqual(Object.keys(v.buttons).sort(), ['cancelLink', 'linkPhone']);
  const late = plain(c.dialogView(latest, NOW + 31_000));
  assert.deepEqual([late.countdown, late.stale], ['Getting a new code…', true]);
  const linked = contentSnapshot([state({state: 'connected', account: {jid: '919876543210:3@s.whatsapp.net'}})]);
  assert.deepEqual(plain(c.dialogView(linked, NOW)), {close: true});
});

test('dialogShowsThePairingCodeDashedWithWhereToTypeIt', () => {
  const latest = contentSnapshot([state({state: 'linking', method: 'phone'}), ['link.pairingCode', {code: 'K7QD9RXA', expiresAt: NOW + 120_000}]]);
  const v = plain(c.dialogView(latest, NOW + 1000));
  assert.deepEqual([v.pairingCode, v.steps, v.countdown, v.qrSrc], ['K7QD-9RXA', 'phone', 'Expires in 1:59', null]);
  assert.ok('cancelLink' in v.buttons && 'linkQr' in v.buttons);
});

test('dialogAsksForTheNumberOnlyWhenOpenedAndMakesGetCodeTheMainButton', () => {
  const latest = contentSnapshot([state({state: 'unlinked'})]);
  const closed = plain(c.dialogView(latest, NOW));
  assert.deepEqual([closed.phoneForm, closed.primary, 'linkPhone' in closed.buttons], [false, 'linkQr', true]);
  const open = plain(c.dialogView(latest, NOW, {phoneFormOpen: true}));
  assert.deepEqual([open.phoneForm, open.primary, 'linkPhone' in open.buttons], [true, null, false]);
});

test('dialogOffersRetryAfterTheQrExpiredAndUseHereAfterBeingReplaced', () => {
  const expired = plain(c.dialogView(contentSnapshot([state({state: 'unlinked', reason: 'qrExpired'})]), NOW));
  assert.equal(expired.headline, 'QR expired — retry');
  assert.equal(expired.buttons.linkQr, 'Retry with a new QR code');
  const replaced = plain(c.dialogView(contentSnapshot([state({state: 'stopped', reason: 'replaced', code: 440})]), NOW));
  assert.deepEqual(replaced.buttons, {reconnectHost: 'Use here'});
  assert.equal(replaced.primary, 'reconnectHost');
  assert.equal(replaced.toolbarHint, true, 'unlinking is in the toolbar popup');
  const outdated = plain(c.dialogView(contentSnapshot([state({state: 'stopped', reason: 'clientOutdated', code: 405})]), NOW));
  assert.deepEqual([outdated.buttons, outdated.primary, outdated.toolbarHint], [{reconnectHost: 'Try again'}, null, true]);
  assert.match(replaced.detail, /Use here/);
  const offline = plain(c.dialogView(contentSnapshot([state({state: 'disconnected', reason: 'network', retryAt: NOW + 12_000})]), NOW + 2000));
  assert.equal(offline.countdown, 'Next attempt in 0:10');
  assert.equal(offline.steps, null);
});

test('dialogWithoutAnyStatusYetSaysItIsChecking', () => {
  const v = plain(c.dialogView(null, NOW));
  assert.deepEqual([v.close, v.headline, v.buttons], [false, 'Checking WhatsApp…', {}]);
  assert.equal(plain(c.dialogView({page: {status: 'disconnected'}, view: 'nonsense'}, NOW)).headline, 'Checking WhatsApp…');
});

test('dialogNeverShowsAnImageThatIsNotAPngDataUrl', () => {
  const latest = contentSnapshot([state({state: 'linking', method: 'qr'})]);
  latest.view = {...latest.view, qr: {src: 'https://evil.example/track.png'}};
  assert.equal(c.dialogView(latest, NOW).qrSrc, null);
});

test('blockedSendOpensTheDialogUnlessWhatsAppIsReconnectingByItself', () => {
  const unlinked = plain(c.blockedSend(contentSnapshot([state({state: 'unlinked'})])));
  assert.deepEqual(unlinked, {message: 'WhatsApp is not linked: link your phone (Link WhatsApp), then send again.', openDialog: true});
  const linking = plain(c.blockedSend(contentSnapshot([state({state: 'linking', method: 'qr'})])));
  assert.equal(linking.openDialog, true);
  const offline = plain(c.blockedSend(contentSnapshot([state({state: 'disconnected', reason: 'network'})])));
  assert.deepEqual(offline, {message: 'WhatsApp is reconnecting: try again in a moment.', openDialog: false});
  const hostDown = plain(c.blockedSend(contentSnapshot([], {state: 'disconnected', host: null, lastError: {code: 'hostNotInstalled', message: 'The helper app is not installed.'}})));
  assert.deepEqual(hostDown, {message: 'The helper app is not installed.', openDialog: true});
  assert.deepEqual(plain(c.blockedSend(null)), {message: 'WhatsApp not connected', openDialog: true});
});
