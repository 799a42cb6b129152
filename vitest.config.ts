import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * Test files that measure time: event-loop delay, frame ages, a slow client's share. Each runs
 * alone, one after another, with both cores to itself.
 */
const TIMED = ['test/opencv/delivery.test.ts', 'test/ffmpeg/delivery.test.ts', 'test/opencv/isolation.test.ts', 'test/capture/fresh-start.test.ts', 'test/demo.test.ts'];

/**
 * The two-minute long run of both sources, which counts frames, not milliseconds, and takes less
 * than half a core, beside the two fault matrices, whose cameras are paused, killed or slow to
 * answer most of the time, then the fleet's test, whose workers wait on leases, and the NestJS
 * module's test, whose slow client is counted in frames (fresh-start, tried here, saw 1080p
 * frames too old): the detection times and
 * event-loop delays they measure stay far below their limits with the others running. Three at
 * a time, in this order, whatever vitest remembers of earlier runs (a fresh clone has no such
 * memory); a fourth overloads the machine as the processes start (OPEN_TIMEOUT, as measured).
 */
const BESIDE_THE_LONG_RUN = [
  'test/capture/long-run.test.ts',
  'test/opencv/faults.test.ts',
  'test/ffmpeg/faults.test.ts',
  'test/nats/fleet.test.ts',
  'test/nestjs/rtsp-module.test.ts',
];

class InTheirOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => BESIDE_THE_LONG_RUN.findIndex((name) => file.moduleId.endsWith(name));
    return sorted.some((file) => rank(file) >= 0) ? [...sorted].sort((a, b) => rank(a) - rank(b)) : sorted;
  }
}

export default defineConfig({
  test: {
    sequence: { sequencer: InTheirOrder },
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
        test: { name: 'long run', include: BESIDE_THE_LONG_RUN, maxWorkers: 3, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        test: { name: 'timed', include: TIMED, maxWorkers: 1, sequence: { groupOrder: 2 } },
      },
    ],
  },
});
