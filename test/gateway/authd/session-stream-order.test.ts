// What holds a session's first calls behind its GET stream in authd (the part of the ordering
// the route's Caddy does not do): which report ends the hold of which GET. Every wait here
// that is not meant to end by a report is a minute, so a hold that ended some other way shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as turn } from 'node:timers/promises';
import { SessionStreamOrder, type OrderedRequest } from '../../../src/gateway/authd/session-stream-order.js';

const MINUTE = 60_000;
const order = () => new SessionStreamOrder({ firstGetWaitMs: MINUTE, reportWaitMs: MINUTE, graceMs: MINUTE });
const get = (requestId: string, reports = true): OrderedRequest => ({ session: 's', method: 'GET', requestId, reports, carriesCall: () => false });
const call: OrderedRequest = { session: 's', method: 'POST', requestId: 'c', reports: true, carriesCall: () => true };
const allowed = async () => ({ status: 200 });

/** Starts a call; `decided` tells whether authd has started deciding it (the hold ended). */
function startCall(o: SessionStreamOrder) {
  let decided = false;
  const done = o.order(call, async () => ((decided = true), { status: 200 }));
  return { done, decided: () => decided };
}

test('a call waits for the report that the upstream answered its session\'s GET, and only that GET\'s', async () => {
  const o = order();
  await o.order(get('g1'), allowed);
  const pending = startCall(o);
  await turn();
  assert.equal(pending.decided(), false, 'held while the GET is not answered');
  o.streamAnswered('s', 'another request');
  o.streamAnswered('other session', 'g1');
  await turn();
  assert.equal(pending.decided(), false, 'a report of another request or session changes nothing');
  o.streamAnswered('s', 'g1');
  await pending.done;
  assert.equal(pending.decided(), true);
});

test('a GET authd refuses holds nothing (the upstream never sees it)', async () => {
  const o = order();
  await o.order(get('g1'), async () => ({ status: 403 }));
  await startCall(o).done;
});

test('a call that came first waits for the GET to come, then for its report', async () => {
  const o = order();
  const pending = startCall(o);
  await turn();
  const getDone = o.order(get('g1'), allowed);
  await getDone;
  await turn();
  assert.equal(pending.decided(), false, 'the GET came, its upstream has not answered');
  o.streamAnswered('s', 'g1');
  await pending.done;
});

test('a GET of a route that does not report holds calls for the grace only', async () => {
  const o = new SessionStreamOrder({ firstGetWaitMs: MINUTE, reportWaitMs: MINUTE, graceMs: 1 });
  await o.order(get('g1', false), allowed);
  // The grace timer is unref'd (it must not keep authd alive at exit): hold the event loop open
  // meanwhile, as authd's listener does, or node ends the test with the call still waiting.
  const alive = setInterval(() => {}, MINUTE);
  try {
    await startCall(o).done;
  } finally {
    clearInterval(alive);
  }
});

test('notifications, DELETE and requests without a session are never held', async () => {
  const o = order();
  await o.order(get('g1'), allowed);
  await o.order({ ...call, carriesCall: () => false }, allowed);
  await o.order({ ...call, session: undefined }, allowed);
  await o.order({ ...call, method: 'DELETE', carriesCall: () => false }, allowed);
});
