import { closed, connected, connecting, scenario } from '../test/marble-scenario.js';

export default scenario({
  title: 'a finite source ends',
  why: 'A source that completes (a recording, not a live camera) has nothing more to give: connection$ says `closed`, frames$ completes, and nothing is retried. A live camera that hangs up is a drop (ENDED, an error), not an end.',
  attempts: ['o--a-|'],
  states: { c: connecting(0), k: connected(0), x: closed },
  subscribers: [
    { stream: 'connection$', expected: '(ck)-(x|)' },
    { stream: 'frames$', expected: '---a-|' },
  ],
  sourceSubscriptions: ['^----!'],
});
