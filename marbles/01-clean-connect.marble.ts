import { connected, connecting, scenario } from '../test/marble-scenario.js';

export default scenario({
  title: 'clean connect',
  why: 'A subscriber sees `connecting`, then `connected` when the source opens, then every frame; all subscribers of one connection share one capture, released when they leave.',
  attempts: ['-o-a-b-c-'],
  states: { c: connecting(0), k: connected(1) },
  subscribers: [
    { stream: 'connection$', subscription: '^--------!', expected: 'ck' },
    { stream: 'frames$', subscription: '^--------!', expected: '---a-b-c-' },
  ],
  sourceSubscriptions: ['^--------!'],
});
