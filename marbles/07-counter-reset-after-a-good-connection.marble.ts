import { connected, connecting, reconnecting, scenario } from '../test/marble-scenario.js';

export default scenario({
  title: 'attempt counter resets after a good connection',
  why: 'maxReconnectAttempts counts failures in a row. Once a connection delivers a frame, the run is over: the next drop waits reconnectDelay again and has the full number of attempts, so a camera that drops once a day is never given up on.',
  options: { reconnectDelay: 1000, reconnectBackoff: 2, maxReconnectAttempts: 2 },
  attempts: ['#', '#', { timeline: 'o-a-#', error: 'ECONNRESET' }, '#', 'o-b'],
  states: {
    c: connecting(0),
    r: reconnecting(1, 1000, 'ECONNREFUSED'),
    1: connecting(1),
    s: reconnecting(2, 2000, 'ECONNREFUSED'),
    2: connecting(2),
    k: connected(3000),
    R: reconnecting(1, 1000, 'ECONNRESET'),
    K: connected(6004),
  },
  subscribers: [
    { stream: 'connection$', subscription: '^ 6009ms !', expected: '(cr) 996ms (1s) 1996ms (2k)R 999ms (1s) 1996ms (2K)' },
    { stream: 'frames$', subscription: '^ 6009ms !', expected: '3002ms a 3003ms b' },
  ],
  sourceSubscriptions: ['(^!)', '1000ms (^!)', '3000ms ^---!', '4004ms (^!)', '6004ms ^ 5ms !'],
});
