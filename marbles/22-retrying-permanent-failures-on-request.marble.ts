import { connected, connecting, reconnecting, scenario } from '../test/marble-scenario.js';

export default scenario({
  title: 'retrying permanent failures on request',
  why: 'With retryOnPermanentError, a permanent cause is retried like any other, for a camera whose settings someone fixes while the application runs: here its path appears on the second try.',
  options: { reconnectDelay: 100, retryOnPermanentError: true },
  attempts: [{ timeline: '#', error: 'NOT_FOUND' }, 'o-a'],
  states: {
    c: connecting(0),
    r: reconnecting(1, 100, 'NOT_FOUND'),
    n: connecting(1),
    k: connected(100),
  },
  subscribers: [
    { stream: 'connection$', subscription: '^ 110ms !', expected: '(cr) 96ms (nk)' },
    { stream: 'frames$', subscription: '^ 110ms !', expected: '100ms --a' },
  ],
  sourceSubscriptions: ['(^!)', '100ms ^ 10ms !'],
});
