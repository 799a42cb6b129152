import { connected, connecting, reconnecting, scenario } from '../test/marble-scenario.js';

export default scenario({
  title: 'drop, then reconnect after 1 s, 2 s, 4 s, capped at the maximum',
  why: 'Each failed attempt in a row doubles the wait (reconnectBackoff 2) from reconnectDelay up to maxReconnectDelay, so a camera that is down is asked less and less often, but never less than every maxReconnectDelay.',
  options: { reconnectDelay: 1000, reconnectBackoff: 2, maxReconnectDelay: 4000 },
  attempts: [{ timeline: 'o-a-b-#', error: 'ECONNRESET' }, '#', '#', '#', 'o-d'],
  states: {
    c: connecting(0),
    k: connected(0),
    r: reconnecting(1, 1000, 'ECONNRESET'),
    1: connecting(1),
    s: reconnecting(2, 2000, 'ECONNREFUSED'),
    2: connecting(2),
    t: reconnecting(3, 4000, 'ECONNREFUSED'),
    3: connecting(3),
    u: reconnecting(4, 4000, 'ECONNREFUSED'),
    4: connecting(4),
    K: connected(11006),
  },
  subscribers: [
    { stream: 'connection$', subscription: '^ 11009ms !', expected: '(ck)--r 999ms (1s) 1996ms (2t) 3996ms (3u) 3996ms (4K)' },
    { stream: 'frames$', subscription: '^ 11009ms !', expected: '--a-b 11003ms d' },
  ],
  sourceSubscriptions: ['^-----!', '1006ms (^!)', '3006ms (^!)', '7006ms (^!)', '11006ms ^ 3ms !'],
});
