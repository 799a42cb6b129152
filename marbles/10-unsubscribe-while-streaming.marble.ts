import { connected, connecting, scenario } from '../test/marble-scenario.js';

export default scenario({
  title: 'unsubscribe while streaming',
  why: 'Leaving while frames flow releases the capture exactly once, at that moment: no frame is delivered after it and no reconnect follows.',
  attempts: ['o-a-b-c-d-e'],
  states: { c: connecting(0), k: connected(0) },
  subscribers: [
    { stream: 'frames$', subscription: '^----!', expected: '--a-b' },
    { stream: 'connection$', subscription: '^----!', expected: '(ck)' },
  ],
  sourceSubscriptions: ['^----!'],
});
