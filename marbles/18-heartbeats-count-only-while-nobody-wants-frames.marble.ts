import { connected, connecting, reconnecting, scenario } from '../test/marble-scenario.js';

export default scenario({
  title: 'heartbeats count only while nobody wants frames',
  why: 'While demand$ says nobody wants frames, the source only decodes, and its heartbeats (h) prove the camera alive. Once frames are wanted again, the source has stallTimeout to deliver one; heartbeats no longer count, so a source that goes on only heartbeating has stalled.',
  options: { stallTimeout: 10, reconnectDelay: 100 },
  demand: 'f 30ms t',
  attempts: ['o-a-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h', 'o-b'],
  states: {
    c: connecting(0),
    k: connected(0),
    r: reconnecting(1, 100, 'STALLED'),
    n: connecting(1),
    K: connected(141),
  },
  subscribers: [
    { stream: 'connection$', subscription: '^ 150ms !', expected: '(ck) 37ms r 99ms (nK)' },
    { stream: 'frames$', subscription: '^ 150ms !', expected: '--a 140ms b' },
  ],
  sourceSubscriptions: ['^ 142ms !', '141ms ^ 9ms !'],
});
