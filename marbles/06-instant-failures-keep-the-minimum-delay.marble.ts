import { connecting, reconnecting, scenario } from '../test/marble-scenario.js';

export default scenario({
  title: 'instant failures keep the minimum delay',
  why: 'A refusal arrives in no time at all; retrying at once would spin a tight loop. Every reconnect waits at least reconnectDelay, counted from the failure: four attempts in 800 ms at 250 ms, never more.',
  options: { reconnectDelay: 250, reconnectBackoff: 1 },
  attempts: ['#', '#', '#', '#'],
  states: {
    c: connecting(0),
    r: reconnecting(1, 250, 'ECONNREFUSED'),
    1: connecting(1),
    s: reconnecting(2, 250, 'ECONNREFUSED'),
    2: connecting(2),
    t: reconnecting(3, 250, 'ECONNREFUSED'),
    3: connecting(3),
    u: reconnecting(4, 250, 'ECONNREFUSED'),
  },
  subscribers: [{ stream: 'connection$', subscription: '^ 799ms !', expected: '(cr) 246ms (1s) 246ms (2t) 246ms (3u)' }],
  sourceSubscriptions: ['(^!)', '250ms (^!)', '500ms (^!)', '750ms (^!)'],
});
