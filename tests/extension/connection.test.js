// The native port state machine, backoff and request table (background/*.js), all pure.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ConnectionState, initialConnection, reduceConnection} from '../../extension/background/connection.js';
import {DEFAULT_BACKOFF, reconnectDelay} from '../../extension/background/backoff.js';
import {RequestTable} from '../../extension/background/request-table.js';
import {ErrorCode, errorFromHost, makeError} from '../../extension/shared/errors.js';

const types = (actions) => actions.map((a) => a.type);
const hello = {hostVersion: '0.1.0', protocolVersion: 1, engine: {state: 'unavailable'}, storePath: '/x'};

function connected() {
  let {conn} = reduceConnection(initialConnection(), {type: 'connect'});
  ({conn} = reduceConnection(conn, {type: 'helloSucceeded', hello}));
  return conn;
}

test('connectFromDisconnectedOpensPortAndSendsHello', () => {
  const {conn, actions} = reduceConnection(initialConnection(), {type: 'connect'});
  assert.equal(conn.state, ConnectionState.connecting);
  assert.deepEqual(types(actions), ['cancelRetry', 'openPort', 'sendHello', 'publish']);
});

test('connectWhileConnectingOrConnectedDoesNothing', () => {
  const {conn} = reduceConnection(initialConnection(), {type: 'connect'});
  assert.deepEqual(reduceConnection(conn, {type: 'connect'}).actions, []);
  assert.deepEqual(reduceConnection(connected(), {type: 'connect'}).actions, []);
});

test('helloWithOurProtocolVersionConnectsAndResetsAttempts', () => {
  let {conn} = reduceConnection({...initialConnection(), attempt: 4}, {type: 'connect'});
  const r = reduceConnection(conn, {type: 'helloSucceeded', hello});
  assert.equal(r.conn.state, ConnectionState.connected);
  assert.equal(r.conn.attempt, 0);
  assert.deepEqual(r.conn.host, hello);
  assert.deepEqual(types(r.actions), ['publish']);
});

test('helloWithAnotherProtocolVersionIsIncompatibleAndRetriesSlowly', () => {
  const {conn} = reduceConnection(initialConnection(), {type: 'connect'});
  const r = reduceConnection(conn, {type: 'helloSucceeded', hello: {...hello, protocolVersion: 2}});
  assert.equal(r.conn.state, ConnectionState.disconnected);
  assert.equal(r.conn.lastError.code, ErrorCode.hostIncompatible);
  assert.deepEqual(types(r.actions), ['closePort', 'failPending', 'scheduleRetry', 'publish']);
  assert.equal(r.actions[2].delayMs, DEFAULT_BACKOFF.maxMs);
});

test('helloWithoutVersionIsIncompatible', () => {
  const {conn} = reduceConnection(initialConnection(), {type: 'connect'});
  assert.equal(reduceConnection(conn, {type: 'helloSucceeded', hello: null}).conn.lastError.code, ErrorCode.hostIncompatible);
});

test('helloFailureClosesPortAndSchedulesBackoff', () => {
  const {conn} = reduceConnection(initialConnection(), {type: 'connect'});
  const r = reduceConnection(conn, {type: 'helloFailed', error: makeError(ErrorCode.timeout), random: 0});
  assert.equal(r.conn.state, ConnectionState.disconnected);
  assert.deepEqual(types(r.actions), ['closePort', 'failPending', 'scheduleRetry', 'publish']);
  assert.equal(r.actions[2].delayMs, 250);
  assert.equal(r.conn.attempt, 1);
});

test('portClosedWhileConnectedFailsPendingAndReconnectsWithGrowingDelay', () => {
  let conn = connected();
  const delays = [];
  for (let i = 0; i < 4; i++) {
    const r = reduceConnection(conn, {type: 'portClosed', error: makeError(ErrorCode.hostExited), random: 1});
    assert.equal(r.conn.state, ConnectionState.disconnected);
    assert.deepEqual(types(r.actions), ['failPending', 'scheduleRetry', 'publish']);
    delays.push(r.actions[1].delayMs);
    ({conn} = reduceConnection(r.conn, {type: 'retryDue'}));
    assert.equal(conn.state, ConnectionState.connecting);
  }
  assert.deepEqual(delays, [500, 1000, 2000, 4000]);
});

test('hostNotInstalledRetriesAtTheSlowestPace', () => {
  const {conn} = reduceConnection(initialConnection(), {type: 'connect'});
  const r = reduceConnection(conn, {type: 'portClosed', error: makeError(ErrorCode.hostNotInstalled), random: 0});
  assert.equal(r.conn.lastError.code, ErrorCode.hostNotInstalled);
  assert.equal(r.actions.find((a) => a.type === 'scheduleRetry').delayMs, DEFAULT_BACKOFF.maxMs);
});

test('helloRefusedForOurOriginRetriesAtTheSlowestPace', () => {
  const {conn} = reduceConnection(initialConnection(), {type: 'connect'});
  const r = reduceConnection(conn, {type: 'helloFailed', error: errorFromHost({code: 8, message: 'origin not allowed'}), random: 0});
  assert.equal(r.conn.lastError.hostName, 'originNotAllowed');
  assert.equal(r.actions.find((a) => a.type === 'scheduleRetry').delayMs, DEFAULT_BACKOFF.maxMs);
});

test('portClosedWhenAlreadyDisconnectedIsIgnored', () => {
  const r = reduceConnection(initialConnection(), {type: 'portClosed', error: makeError(ErrorCode.hostExited), random: 0});
  assert.deepEqual(r.actions, []);
});

test('lateHelloAfterDisconnectIsIgnored', () => {
  const {conn} = reduceConnection(initialConnection(), {type: 'connect'});
  const closed = reduceConnection(conn, {type: 'portClosed', error: makeError(ErrorCode.hostExited), random: 0}).conn;
  assert.deepEqual(reduceConnection(closed, {type: 'helloSucceeded', hello}).actions, []);
  assert.deepEqual(reduceConnection(closed, {type: 'helloFailed', error: makeError(ErrorCode.timeout), random: 0}).actions, []);
});

test('unknownEventsChangeNothing', () => {
  const conn = initialConnection();
  assert.deepEqual(reduceConnection(conn, {type: 'nonsense'}), {conn, actions: []});
});

test('backoffDoublesFromBaseAndIsCappedAtMax', () => {
  assert.deepEqual([0, 1, 2, 3].map((n) => reconnectDelay(n, 1)), [500, 1000, 2000, 4000]);
  assert.equal(reconnectDelay(20, 1), 30_000);
  assert.equal(reconnectDelay(1000, 1), 30_000);
});

test('backoffJitterStaysWithinHalfStepAndStep', () => {
  for (const r of [0, 0.25, 0.5, 0.999]) {
    const d = reconnectDelay(3, r);
    assert.ok(d >= 2000 && d <= 4000, String(d));
  }
  assert.equal(reconnectDelay(3, 0), 2000);
});

test('backoffToleratesNonsenseInputs', () => {
  assert.equal(reconnectDelay(-3, 1), 500);
  assert.equal(reconnectDelay(Number.NaN, Number.NaN), 250);
  assert.equal(reconnectDelay(2, 7), 2000);
});

test('requestIdsIncreaseAndResponsesSettleOnce', () => {
  const t = new RequestTable();
  const a = t.begin('host.hello', 0, 1000, 'A');
  const b = t.begin('host.ping', 0, 1000, 'B');
  assert.equal(b, a + 1);
  assert.equal(t.size, 2);
  assert.equal(t.settle(a).context, 'A');
  assert.equal(t.settle(a), undefined);
  assert.equal(t.settle(12345), undefined);
  assert.equal(t.size, 1);
});

test('requestsExpireAtTheirDeadlineOnly', () => {
  const t = new RequestTable();
  const a = t.begin('x', 100, 50, null);
  const b = t.begin('y', 100, 500, null);
  assert.equal(t.nextDeadline(), 150);
  assert.deepEqual(t.expire(149), []);
  assert.deepEqual(t.expire(150).map((e) => e.id), [a]);
  assert.equal(t.nextDeadline(), 600);
  assert.deepEqual(t.drain().map((e) => e.id), [b]);
  assert.equal(t.nextDeadline(), null);
  assert.equal(t.size, 0);
});

test('requestIdsWrapBeforeLeavingSafeIntegers', () => {
  const t = new RequestTable({firstId: Number.MAX_SAFE_INTEGER});
  assert.equal(t.begin('x', 0, 1, null), Number.MAX_SAFE_INTEGER);
  assert.equal(t.begin('x', 0, 1, null), 1);
});
