import { defineConfig } from 'vitest/config';

/**
 * Test files that measure time: event-loop delay, frame ages, a slow client's share. Each runs
 * alone, one after another, with both cores to itself.
 */
const TIMED = ['test/opencv/delivery.test.ts', 'test/ffmpeg/delivery.test.ts', 'test/opencv/isolation.test.ts', 'test/capture/fresh-start.test.ts', 'test/nestjs/rtsp-module.test.ts', 'test/demo.test.ts'];

/**
 * The two-minute long run of both sources, which counts frames, not milliseconds, and takes less
 * than half a core, beside the two fault matrices: their cameras are paused, killed or slow to
 * answer most of the time, and the detection times and event-loop delays they measure stay far
 * below their limits with the others running.
 */
const BESIDE_THE_LONG_RUN = ['test/capture/long-run.test.ts', 'test/opencv/faults.test.ts', 'test/ffmpeg/faults.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    // The addon was built against the system's OpenCV; without this it looks for its own build.
    env: { OPENCV4NODEJS_DISABLE_AUTOBUILD: '1' },
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          // First, two files at a time: the type-check, the package, documentation, example and
          // framework tests and the unit tests. A third worker starves the examples' and the
          // Angular test's frame windows.
          name: 'alongside',
          include: ['test/**/*.test.ts', 'src/**/*.spec.ts'],
          exclude: [...TIMED, ...BESIDE_THE_LONG_RUN],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
          typecheck: { enabled: true, include: ['test/**/*.test-d.ts', 'src/**/*.spec-d.ts'] },
        },
      },
      {
        extends: true,
        test: { name: 'long run', include: BESIDE_THE_LONG_RUN, maxWorkers: BESIDE_THE_LONG_RUN.length, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        test: { name: 'timed', include: TIMED, maxWorkers: 1, sequence: { groupOrder: 2 } },
      },
    ],
  },
});
