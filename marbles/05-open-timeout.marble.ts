import { connected, connecting, reconnecting, scenario } from '../test/marble-scenario.js';

export default scenario({
  title: 'open timeout',
  why: 'A camera that accepts the connection and never answers must not hold the stream in `connecting`: after openTimeout the attempt fails with OPEN_TIMEOUT, is released, and the next one follows the back-off.',
  options: { openTimeout: 500, reconnectDelay: 1000 },
  attempts: ['-', 'o-a'],
  states: {
    c: connecting(0),
    r: reconnecting(1, 1000, 'OPEN_TIMEOUT'),
    n: connecting(1),
    K: connected(1500),
  },
  subscribers: [
    { stream: 'connection$', subscription: '^ 1509ms !', expected: 'c 499ms r 999ms (nK)' },
    { stream: 'frames$', subscription: '^ 1509ms !', expected: '1502ms a' },
  ],
  sourceSubscriptions: ['^ 499ms !', '1500ms ^ 9ms !'],
});
