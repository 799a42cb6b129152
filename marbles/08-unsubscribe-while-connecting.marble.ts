import { connecting, scenario } from '../test/marble-scenario.js';

export default scenario({
  title: 'unsubscribe while connecting',
  why: 'Leaving before the camera answers must cancel the open: the attempt is released exactly once, at the moment the last subscriber leaves, and nothing is retried.',
  attempts: ['-'],
  states: { c: connecting(0) },
  subscribers: [
    { stream: 'connection$', subscription: '^ 49ms !', expected: 'c' },
    { stream: 'frames$', subscription: '^ 49ms !', expected: '-' },
  ],
  sourceSubscriptions: ['^ 49ms !'],
});
