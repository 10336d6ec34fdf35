// Who may send what to the background, and the handler table (background/router.js).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {HandlerError, Role, route, senderRole} from '../../extension/background/router.js';
import {ErrorCode, makeError} from '../../extension/shared/errors.js';

const self = {
  extensionId: 'lgpglinhmaadahglcbjajchcmaaaglnn',
  extensionOrigin: 'chrome-extension://lgpglinhmaadahglcbjajchcmaaaglnn/',
  isSite: (origin) => origin === 'https://crm.example.com',
};
const popup = {id: self.extensionId, url: self.extensionOrigin + 'popup/popup.html'};
const crmTab = {id: self.extensionId, url: 'https://crm.example.com/crm/leads/1', origin: 'https://crm.example.com', tab: {id: 3}};
const handlers = {
  'status.get': {roles: [Role.page, Role.content], handle: (_p, ctx) => ({role: ctx.role})},
  'engine.logout': {roles: [Role.page], handle: () => 'bye'},
  'boom': {roles: [Role.page], handle: () => { throw new HandlerError(makeError(ErrorCode.timeout)); }},
  'crash': {roles: [Role.page], handle: () => { throw new TypeError('x is undefined'); }},
  'echo': {roles: [Role.page], handle: (p) => p},
};

test('ownPagesAreRolePage', () => {
  assert.equal(senderRole(popup, self), Role.page);
});

test('contentScriptOnConfiguredSiteIsRoleContent', () => {
  assert.equal(senderRole(crmTab, self), Role.content);
  assert.equal(senderRole({...crmTab, origin: undefined}, self), Role.content);
});

test('otherExtensionsAndUnconfiguredSitesAreRefused', () => {
  assert.equal(senderRole({...popup, id: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'}, self), null);
  assert.equal(senderRole({...crmTab, url: 'https://evil.example/x', origin: 'https://evil.example'}, self), null);
  assert.equal(senderRole({id: self.extensionId, url: 'not a url', tab: {id: 1}}, self), null);
  assert.equal(senderRole(undefined, self), null);
});

test('refusedSenderGetsSenderNotAllowedAndNoHandlerRuns', async () => {
  let ran = false;
  const r = await route({x: {roles: [Role.page], handle: () => { ran = true; }}}, {type: 'x'}, {id: 'other'}, self);
  assert.deepEqual([r.ok, r.error.code, ran], [false, ErrorCode.senderNotAllowed, false]);
});

test('contentScriptCannotCallPageOnlyHandlers', async () => {
  const r = await route(handlers, {type: 'engine.logout'}, crmTab, self);
  assert.equal(r.error.code, ErrorCode.senderNotAllowed);
  assert.deepEqual(await route(handlers, {type: 'status.get'}, crmTab, self), {ok: true, result: {role: 'content'}});
});

test('unknownOrMalformedMessagesAreAnsweredNotDropped', async () => {
  for (const m of [null, 'x', {}, {type: 5}, {type: 'nope'}, {type: 'toString'}, {type: '__proto__'}]) {
    const r = await route(handlers, m, popup, self);
    assert.equal(r.ok, false, JSON.stringify(m));
    assert.equal(r.error.code, ErrorCode.unknownMessage);
  }
});

test('handlerErrorsBecomeTypedAnswers', async () => {
  assert.equal((await route(handlers, {type: 'boom'}, popup, self)).error.code, ErrorCode.timeout);
  const crash = await route(handlers, {type: 'crash'}, popup, self);
  assert.equal(crash.error.code, ErrorCode.unexpected);
  assert.match(crash.error.detail, /x is undefined/);
});

test('missingPayloadIsAnEmptyObjectAndUndefinedResultIsNull', async () => {
  assert.deepEqual(await route(handlers, {type: 'echo'}, popup, self), {ok: true, result: {}});
  assert.deepEqual(await route({n: {roles: [Role.page], handle: () => undefined}}, {type: 'n'}, popup, self), {ok: true, result: null});
});
