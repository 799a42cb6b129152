import { connected, connecting, reconnecting, scenario } from '../test/marble-scenario.js';

export default scenario({
  title: 'a paused camera resumes on the same session',
  why: 'A stall is reported at once, but the stalled capture stays open while rtsp-rx waits to reconnect. A camera that resumes sends its next frame over the session it had, at once, where a new session would take seconds to open: that frame wins, the wait is cut short and no new attempt is made.',
  options: { stallTimeout: 100, reconnectDelay: 1000 },
  attempts: ['o-a-b 300ms c-d', 'o-x'],
  states: {
    c: connecting(0),
    k: connected(0),
    r: reconnecting(1, 1000, 'STALLED'),
    K: connected(305),
  },
  subscribers: [
    { stream: 'connection$', subscription: '^ 320ms !', expected: '(ck) 100ms r 200ms K' },
    { stream: 'frames$', subscription: '^ 320ms !', expected: '--a-b 300ms c-d' },
  ],
  sourceSubscriptions: ['^ 320ms !', ''],
});
