import { connected, connecting, reconnecting, scenario } from '../test/marble-scenario.js';

export default scenario({
  title: 'frames lost on the way are a stall',
  why: 'While frames are wanted, only delivered frames prove that a connection works. A source whose camera still sends pictures (h: heartbeats for pictures it says nobody wanted) but whose frames never reach the application, through a broken control channel, pipe or decoder, stalls after stallTimeout like a silent camera, and a reconnect follows.',
  options: { stallTimeout: 10, reconnectDelay: 100 },
  attempts: ['o-a-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h-h', 'o-b'],
  states: {
    c: connecting(0),
    k: connected(0),
    r: reconnecting(1, 100, 'STALLED'),
    n: connecting(1),
    K: connected(112),
  },
  subscribers: [
    { stream: 'connection$', subscription: '^ 120ms !', expected: '(ck) 8ms r 99ms (nK)' },
    { stream: 'frames$', subscription: '^ 120ms !', expected: '--a 111ms b' },
  ],
  sourceSubscriptions: ['^ 113ms !', '112ms ^ 8ms !'],
});
