import { connected, connecting, reconnecting, scenario } from '../test/marble-scenario.js';

export default scenario({
  title: 'the first session to deliver wins',
  why: 'While a new attempt is still opening, the stalled capture it replaces may resume first: then the new attempt is released and the old session goes on. Had the new one delivered first, the old one would have been released (marble 4).',
  options: { stallTimeout: 100, reconnectDelay: 100 },
  attempts: ['o-a 300ms b-c', '-'],
  states: {
    c: connecting(0),
    k: connected(0),
    r: reconnecting(1, 100, 'STALLED'),
    n: connecting(1),
    K: connected(303),
  },
  subscribers: [
    { stream: 'connection$', subscription: '^ 320ms !', expected: '(ck) 98ms r 99ms n 100ms K' },
    { stream: 'frames$', subscription: '^ 320ms !', expected: '--a 300ms b-c' },
  ],
  sourceSubscriptions: ['^ 320ms !', '202ms ^ 100ms !'],
});
