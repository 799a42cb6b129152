import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * Test files that measure time: event-loop delay, detection times, frame ages, a slow
 * client's share. Each runs alone, one after another, with both cores to itself.
 */
const TIMED = [
  'test/opencv/faults.test.ts',
  'test/ffmpeg/faults.test.ts',
  'test/opencv/delivery.test.ts',
  'test/ffmpeg/delivery.test.ts',
  'test/opencv/isolation.test.ts',
  'test/capture/fresh-start.test.ts',
  'test/nestjs/rtsp-module.test.ts',
  'test/demo.test.ts',
];

/** The two-minute long run of both sources, which the other files of its group keep company. */
const LONG_RUN = 'test/capture/long-run.test.ts';

/**
 * Starts the long run first, whatever vitest remembers of earlier runs: a fresh clone has no
 * such memory, and would start the largest files first and the long run last, alone.
 */
class LongRunFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return [...sorted.filter((file) => file.moduleId.endsWith(LONG_RUN)), ...sorted.filter((file) => !file.moduleId.endsWith(LONG_RUN))];
  }
}

export default defineConfig({
  test: {
    sequence: { sequencer: LongRunFirst },
    testTimeout: 30_000,
    // The addon was built against the system's OpenCV; without this it looks for its own build.
    env: { OPENCV4NODEJS_DISABLE_AUTOBUILD: '1' },
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'timed',
          include: TIMED,
          // One worker: vitest runs these last, each file on its own.
          maxWorkers: 1,
        },
      },
      {
        extends: true,
        test: {
          // The rest, first, two files at a time: the two-minute long run (which counts frames,
          // not milliseconds, and takes a fraction of a core) beside the package, documentation,
          // example and framework tests and the unit tests, which one after another take about
          // as long. A third worker starves the examples' and the Angular test's windows.
          name: 'alongside',
          include: ['test/**/*.test.ts', 'src/**/*.spec.ts'],
          exclude: TIMED,
          maxWorkers: 2,
          typecheck: { enabled: true, include: ['test/**/*.test-d.ts', 'src/**/*.spec-d.ts'] },
        },
      },
    ],
  },
});
