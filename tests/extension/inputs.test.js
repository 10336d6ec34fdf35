// What users and CRM pages type: phone numbers, CRM addresses, request payloads (pure modules).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {normalizePhone} from '../../extension/shared/phone.js';
import {addSite, isSiteOrigin, parseSite, removeSite, siteProblemText} from '../../extension/shared/sites.js';
import {linkStartPayload, messageSendPayload, payloadProblemText} from '../../extension/background/payloads.js';

test('tenDigitNumbersGetTheDefaultCountryCode', () => {
  assert.deepEqual(normalizePhone('98765 43210'), {ok: true, digits: '919876543210'});
  assert.deepEqual(normalizePhone('98765-43210', {defaultCountryCode: '44'}), {ok: true, digits: '449876543210'});
  assert.deepEqual(normalizePhone(9876543210), {ok: true, digits: '919876543210'});
});

test('leadingTrunkZeroIsDroppedBeforeCounting', () => {
  assert.deepEqual(normalizePhone('098765 43210'), {ok: true, digits: '919876543210'});
});

test('internationalNumbersAreKeptAsTyped', () => {
  assert.deepEqual(normalizePhone('+91 98765-43210'), {ok: true, digits: '919876543210'});
  assert.deepEqual(normalizePhone('+1 (415) 555-0100'), {ok: true, digits: '14155550100'});
  assert.deepEqual(normalizePhone('0049 30 1234567'), {ok: true, digits: '49301234567'});
  assert.deepEqual(normalizePhone('919876543210'), {ok: true, digits: '919876543210'});
});

test('nonsensePhoneInputIsRejectedWithAReason', () => {
  assert.equal(normalizePhone('').reason, 'empty');
  assert.equal(normalizePhone('call me').reason, 'empty');
  assert.equal(normalizePhone('12345').reason, 'tooShort');
  assert.equal(normalizePhone('1234567890123456').reason, 'tooManyDigits');
  assert.equal(normalizePhone('9'.repeat(100)).reason, 'tooLong');
  assert.equal(normalizePhone({}).reason, 'notText');
  assert.equal(normalizePhone(null).reason, 'notText');
});

test('crmAddressesBecomeHttpsOriginsAndPatterns', () => {
  assert.deepEqual(parseSite('crm.example.com'), {ok: true, origin: 'https://crm.example.com', pattern: 'https://crm.example.com/*'});
  assert.deepEqual(parseSite('  https://CRM.Example.com/app/leads?x=1 '), {ok: true, origin: 'https://crm.example.com', pattern: 'https://crm.example.com/*'});
  assert.deepEqual(parseSite('http://localhost:8000/crm'), {ok: true, origin: 'http://localhost:8000', pattern: 'http://localhost:8000/*'});
  assert.equal(parseSite('http://crm.localhost').ok, true);
  assert.equal(parseSite('http://127.0.0.1:9000').origin, 'http://127.0.0.1:9000');
});

test('plainHttpIsOnlyAllowedForLocalSites', () => {
  assert.equal(parseSite('http://crm.example.com').reason, 'insecure');
});

test('unsafeOrNonWebAddressesAreRejected', () => {
  assert.equal(parseSite('').reason, 'empty');
  assert.equal(parseSite('ftp://crm.example.com').reason, 'notWeb');
  assert.equal(parseSite('javascript://alert(1)').reason, 'notWeb');
  assert.equal(parseSite('https://user:pw@crm.example.com').reason, 'hasCredentials');
  assert.equal(parseSite('https://*.example.com').ok, false);
  assert.equal(parseSite('https://exa mple.com').reason, 'notAnAddress');
  assert.equal(parseSite('x'.repeat(5000)).reason, 'tooLong');
  assert.equal(parseSite(42).reason, 'notText');
  for (const r of ['empty', 'insecure', 'notWeb', 'hasCredentials', 'tooLong', 'notAnAddress']) assert.ok(siteProblemText(r).length > 10);
});

test('siteListHasNoDuplicatesAndMatchesExactOrigins', () => {
  let sites = addSite([], 'https://b.example');
  sites = addSite(sites, 'https://a.example');
  sites = addSite(sites, 'https://b.example');
  assert.deepEqual(sites, ['https://a.example', 'https://b.example']);
  assert.ok(isSiteOrigin(sites, 'https://a.example'));
  assert.ok(!isSiteOrigin(sites, 'https://a.example.evil'));
  assert.ok(!isSiteOrigin(sites, undefined));
  assert.deepEqual(removeSite(sites, 'https://a.example'), ['https://b.example']);
});

test('linkStartAcceptsQrOrPhoneOnly', () => {
  assert.deepEqual(linkStartPayload({method: 'qr', extra: 1}), {ok: true, payload: {method: 'qr'}});
  assert.deepEqual(linkStartPayload({method: 'phone', phone: '+91 98765 43210'}), {ok: true, payload: {method: 'phone', phone: '919876543210'}});
  assert.equal(linkStartPayload({method: 'phone'}).ok, false);
  assert.equal(linkStartPayload({method: 'passkey'}).reason, 'method');
  assert.equal(linkStartPayload(null).reason, 'method');
});

test('messageSendMapsThePageContractToTheHostPayload', () => {
  const r = messageSendPayload({phone: '98765 43210', message: 'Hi!', requestId: 'req-1'}, () => 'generated');
  assert.deepEqual(r, {ok: true, payload: {to: '919876543210', text: 'Hi!', clientMessageId: 'req-1'}});
  const g = messageSendPayload({to: '+14155550100', text: 'Hello'}, () => 'generated');
  assert.deepEqual(g.payload, {to: '14155550100', text: 'Hello', clientMessageId: 'generated'});
});

test('messageSendRefusesMissingOrOversizedFields', () => {
  assert.equal(messageSendPayload({phone: '9876543210'}, () => 'g').reason, 'phoneAndMessageRequired');
  assert.equal(messageSendPayload({message: 'x'}, () => 'g').reason, 'phoneAndMessageRequired');
  assert.equal(messageSendPayload({phone: '9876543210', message: '   '}, () => 'g').reason, 'phoneAndMessageRequired');
  assert.equal(messageSendPayload({phone: '9876543210', message: 'x'.repeat(65_537)}, () => 'g').reason, 'messageTooLong');
  assert.equal(messageSendPayload({phone: '12', message: 'x'}, () => 'g').reason, 'phone:tooShort');
  assert.equal(messageSendPayload('nope', () => 'g').reason, 'notAnObject');
  assert.equal(messageSendPayload({phone: '9876543210', message: 'x', requestId: 'y'.repeat(500)}, () => 'g').payload.clientMessageId, 'g');
  assert.match(payloadProblemText('phone:tooShort'), /phone number/);
  assert.equal(payloadProblemText('phoneAndMessageRequired'), 'Phone and message are required.');
});

test('countryCodeSettingIsOneToThreeDigits', async () => {
  const {parseCountryCode} = await import('../../extension/shared/phone.js');
  assert.equal(parseCountryCode('+44'), '44');
  assert.equal(parseCountryCode(' 1 '), '1');
  assert.equal(parseCountryCode('971'), '971');
  for (const bad of ['', '0', '044', '1234', 'uk', '+', null, 44]) assert.equal(parseCountryCode(bad), null, String(bad));
});

test('theConfiguredCountryCodeIsUsedForTenDigitNumbers', () => {
  const r = messageSendPayload({phone: '20 7946 0958', message: 'Hi'}, () => 'g', {defaultCountryCode: '44'});
  assert.equal(r.payload.to, '442079460958');
  assert.equal(linkStartPayload({method: 'phone', phone: '2079460958'}, {defaultCountryCode: '44'}).payload.phone, '442079460958');
  assert.match(payloadProblemText('countryCode'), /country code/);
});
