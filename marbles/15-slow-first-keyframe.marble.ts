import { connected, connecting, scenario } from '../test/marble-scenario.js';

export default scenario({
  title: 'a slow first keyframe is no stall',
  why: 'A camera sends its first picture at its next keyframe, which may be many seconds after the session opens. firstFrameTimeout, longer than stallTimeout, covers that wait, so rtsp-rx does not churn reconnects; once frames flow, stallTimeout applies.',
  options: { openTimeout: 100, firstFrameTimeout: 1000, stallTimeout: 50 },
  attempts: ['o 800ms a-b'],
  states: { c: connecting(0), k: connected(0) },
  subscribers: [
    { stream: 'connection$', subscription: '^ 809ms !', expected: '(ck)' },
    { stream: 'frames$', subscription: '^ 809ms !', expected: '- 800ms a-b' },
  ],
  sourceSubscriptions: ['^ 809ms !'],
});
