import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.spec.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts', 'src/**/*.spec-d.ts'] },
    reporters: ['default'],
    testTimeout: 30_000,
    // The addon was built against the system's OpenCV; without this it looks for its own build.
    env: { OPENCV4NODEJS_DISABLE_AUTOBUILD: '1' },
    // Camera tests measure event-loop delay and detection times: they must not share two cores
    // with another test file.
    fileParallelism: false,
  },
});
