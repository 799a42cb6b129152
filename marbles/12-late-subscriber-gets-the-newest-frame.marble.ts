import { scenario } from '../test/marble-scenario.js';

export default scenario({
  title: 'a late subscriber to latest$ gets the newest frame at once',
  why: 'latest$ is the reactive read(): whoever subscribes gets the newest frame now, not the next one in 40 ms and never an old backlog, over the same capture.',
  attempts: ['o-a-b-c-d'],
  subscribers: [
    { stream: 'latest$', subscription: '^--------!', expected: '--a-b-c-d' },
    { stream: 'latest$', subscription: '-----^---!', expected: '-----bc-d' },
  ],
  sourceSubscriptions: ['^--------!'],
});
