import { connecting, failed, scenario } from '../test/marble-scenario.js';

export default scenario({
  title: 'a permanent failure gives up at once',
  why: 'Wrong credentials (UNAUTHORIZED), a wrong path (NOT_FOUND), a refused transport (UNSUPPORTED_TRANSPORT) or a capture that cannot run on this machine (CAPTURE_UNAVAILABLE) get the same answer however often they are tried. Retrying them forever would hide the mistake behind an endless "reconnecting": the connection fails at once and frames$ errors with the cause itself.',
  options: { reconnectDelay: 1000 },
  attempts: [{ timeline: '--#', error: 'UNAUTHORIZED' }],
  states: {
    c: connecting(0),
    F: failed(0, 'UNAUTHORIZED', 'permanent'),
  },
  subscribers: [
    { stream: 'connection$', expected: 'c-(F|)' },
    { stream: 'frames$', expected: '--#', error: { code: 'UNAUTHORIZED' } },
  ],
  sourceSubscriptions: ['^-!'],
});
