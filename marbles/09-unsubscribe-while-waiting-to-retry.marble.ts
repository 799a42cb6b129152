import { connecting, reconnecting, scenario } from '../test/marble-scenario.js';

export default scenario({
  title: 'unsubscribe while waiting to retry',
  why: 'Leaving during the back-off cancels the pending reconnect: the failed attempt was released when it failed, and no new attempt is ever opened.',
  options: { reconnectDelay: 1000 },
  attempts: ['#'],
  states: { c: connecting(0), r: reconnecting(1, 1000, 'ECONNREFUSED') },
  subscribers: [{ stream: 'connection$', subscription: '^ 499ms !', expected: '(cr)' }],
  sourceSubscriptions: ['(^!)'],
});
