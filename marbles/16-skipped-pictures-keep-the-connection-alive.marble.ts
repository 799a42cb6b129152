import { connected, connecting, reconnecting, scenario } from '../test/marble-scenario.js';

export default scenario({
  title: 'skipped pictures keep the connection alive',
  why: 'A source may decode pictures it does not deliver because a frame-rate cap holds them back. Its heartbeats (r) tell that the camera still sends, so a quiet stream is no stall, and, like a frame, they end a run of failures: the next drop waits reconnectDelay again.',
  options: { stallTimeout: 50, reconnectDelay: 1000, reconnectBackoff: 2 },
  attempts: ['#', { timeline: 'o 40ms r 40ms r 40ms #', error: 'ECONNRESET' }, 'o-a'],
  states: {
    c: connecting(0),
    r: reconnecting(1, 1000, 'ECONNREFUSED'),
    1: connecting(1),
    k: connected(1000),
    R: reconnecting(1, 1000, 'ECONNRESET'),
    K: connected(2123),
  },
  subscribers: [
    { stream: 'connection$', subscription: '^ 2130ms !', expected: '(cr) 996ms (1k) 119ms R 999ms (1K)' },
    { stream: 'frames$', subscription: '^ 2130ms !', expected: '2125ms a' },
  ],
  sourceSubscriptions: ['(^!)', '1000ms ^ 122ms !', '2123ms ^ 7ms !'],
});
