import { connected, connecting, reconnecting, scenario } from '../test/marble-scenario.js';

export default scenario({
  title: 'stall detected',
  why: 'A camera that stops sending without closing the connection would otherwise hang the stream forever: after stallTimeout without a frame the attempt counts as dropped (STALLED) and a reconnect follows. The stalled capture is kept open until the new attempt delivers, in case its camera resumes first (marbles 19 and 20); then it is released.',
  options: { stallTimeout: 100, reconnectDelay: 1000 },
  attempts: ['o-a-b', 'o-c'],
  states: {
    c: connecting(0),
    k: connected(0),
    r: reconnecting(1, 1000, 'STALLED'),
    n: connecting(1),
    K: connected(1104),
  },
  subscribers: [
    { stream: 'connection$', subscription: '^ 1109ms !', expected: '(ck) 100ms r 999ms (nK)' },
    { stream: 'frames$', subscription: '^ 1109ms !', expected: '--a-b 1101ms c' },
  ],
  sourceSubscriptions: ['^ 1105ms !', '1104ms ^ 5ms !'],
});
