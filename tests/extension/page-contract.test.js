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
  const d = plain(c.statusDetail({status: 'connected', phoneNumber: '919876543210', qrCodeAvailable: false, hostState: 'connected', engineState: 'connected', problem: null}, 'r1'));
  assert.deepEqual(d, {status: 'connected', phoneNumber: '919876543210', qrCodeAvailable: false, hostState: 'connected', engineState: 'connected', problem: null, requestId: 'r1'});
  assert.equal('requestId' in c.statusDetail(null), false);
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
