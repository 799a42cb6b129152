import { scenario } from '../test/marble-scenario.js';

export default scenario({
  title: 'release after the grace period',
  why: 'With releaseGrace 100, a subscriber that leaves and one that comes soon after share the open camera instead of paying for a new connection (1 s or more on a real camera); 100 ms after the last one leaves, the capture is released.',
  options: { releaseGrace: 100 },
  attempts: ['o-a-b 46ms c-d-e'],
  subscribers: [
    { stream: 'frames$', subscription: '^--!', expected: '--a' },
    { stream: 'frames$', subscription: '50ms ^ 9ms !', expected: '51ms c-d-e' },
  ],
  sourceSubscriptions: ['^ 159ms !'],
});
