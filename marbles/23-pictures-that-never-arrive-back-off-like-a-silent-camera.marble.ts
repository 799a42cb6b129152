import { connected, connecting, reconnecting, scenario } from '../test/marble-scenario.js';

export default scenario({
  title: 'pictures that never arrive back off like a silent camera',
  why: 'A heartbeat that the watchdog does not count (h: a picture the source says nobody wanted, while frames are wanted) proves nothing, so it does not reset the reconnect count either. Attempts that open and then only heartbeat wait longer and longer, as attempts that fail outright do; only a frame delivered makes a connection good.',
  options: { firstFrameTimeout: 10, reconnectDelay: 100, reconnectBackoff: 2, maxReconnectDelay: 400 },
  attempts: ['o-h-h-h-h-h-h-h-h-h-h', 'o-h-h-h-h-h-h-h-h-h-h', 'o-h-h-h-h-h-h-h-h-h-h', 'o-a'],
  states: {
    c: connecting(0),
    k: connected(0),
    r: reconnecting(1, 100, 'STALLED'),
    1: connecting(1),
    K: connected(110),
    s: reconnecting(2, 200, 'STALLED'),
    2: connecting(2),
    L: connected(320),
    t: reconnecting(3, 400, 'STALLED'),
    3: connecting(3),
    M: connected(730),
  },
  subscribers: [
    { stream: 'connection$', subscription: '^ 740ms !', expected: '(ck) 6ms r 99ms (1K) 6ms s 199ms (2L) 6ms t 399ms (3M)' },
    { stream: 'frames$', subscription: '^ 740ms !', expected: '- 731ms a' },
  ],
  sourceSubscriptions: ['^ 9ms !', '110ms ^ 9ms !', '320ms ^ 9ms !', '730ms ^ 10ms !'],
});
