import { connecting, exhausted, failed, reconnecting, scenario } from '../test/marble-scenario.js';

export default scenario({
  title: 'reconnect attempts exhausted',
  why: 'With maxReconnectAttempts 2, the third failure in a row ends the connection: connection$ says `failed` with the last cause and completes, frames$ errors with a ReconnectExhaustedError carrying the count and the cause (the seed\'s on_reconnect_failure).',
  options: { reconnectDelay: 1000, reconnectBackoff: 2, maxReconnectAttempts: 2 },
  attempts: ['#', '#', '#'],
  states: {
    c: connecting(0),
    r: reconnecting(1, 1000, 'ECONNREFUSED'),
    1: connecting(1),
    s: reconnecting(2, 2000, 'ECONNREFUSED'),
    2: connecting(2),
    F: failed(2, 'ECONNREFUSED'),
  },
  subscribers: [
    { stream: 'connection$', expected: '(cr) 996ms (1s) 1996ms (2F|)' },
    { stream: 'frames$', expected: '3000ms #', error: exhausted(2, 'ECONNREFUSED') },
  ],
  sourceSubscriptions: ['(^!)', '1000ms (^!)', '3000ms (^!)'],
});
