import { connected, connecting, scenario } from '../test/marble-scenario.js';

export default scenario({
  title: 'one camera for many subscribers; a second camera only when asked',
  why: 'frames$, connection$ and latest$ of one rtspConnection share a single capture: a late connection$ subscriber gets the current state at once, not a second camera. rtspFrames$ is cold: each of its subscribers asks for, and gets, a capture of its own.',
  attempts: ['o-a-b-c-d-', 'o-x-y-', 'o-z'],
  states: { c: connecting(0), k: connected(0) },
  subscribers: [
    { stream: 'frames$', subscription: '^--------!', expected: '--a-b-c-d' },
    { stream: 'connection$', subscription: '---^-----!', expected: '---k' },
    { stream: 'latest$', subscription: '-----^---!', expected: '-----bc-d' },
    { stream: 'rtspFrames$', subscription: '---^--!', expected: '-----x' },
    { stream: 'rtspFrames$', subscription: '------^--!', expected: '--------z' },
  ],
  sourceSubscriptions: ['^--------!', '---^--!', '------^--!'],
});
