import { spawn } from 'node:child_process';

/** An example program running as its users run it: through `tsx`, or through `npm run`. */
export interface ExampleProcess {
  /** What the first group of the `ready` pattern caught: the address the program printed. */
  readonly address: string;
  /** All it printed so far, standard output and error. */
  output(): string;
  /** Sends `signal`; resolves with how the process ended. */
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

interface StartOptions {
  /** Its first group catches the address. */
  readonly ready: RegExp;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeout?: number;
}

/**
 * Starts `script` with `args` and resolves once its output matches `ready`; rejects, with the
 * process killed, if it ends first or prints nothing that matches within `timeout` ms.
 */
export const startExample = (script: string, args: readonly string[], options: StartOptions): Promise<ExampleProcess> =>
  start(script, process.execPath, ['--import', 'tsx', script, ...args], options);

/** As {@link startExample}, for `npm run <name> -- <args>`: signals go to npm, as a user's `kill` would. */
export const startNpmScript = (name: string, args: readonly string[], options: StartOptions): Promise<ExampleProcess> =>
  start(`npm run ${name}`, 'npm', ['run', '--silent', name, '--', ...args], options);

async function start(script: string, command: string, argv: readonly string[], options: StartOptions): Promise<ExampleProcess> {
  const { ready, env = {}, timeout = 20_000 } = options;
  // From the project's root, where vitest runs: under jsdom, import.meta.url is no file URL.
  const child = spawn(command, argv, {
    cwd: process.cwd(),
    env: { ...process.env, NODE_DEBUG: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let output = '';
  const address = await new Promise<string>((resolve, reject) => {
    const fail = (why: string) => {
      child.kill('SIGKILL');
      reject(new Error(`${script} ${why}; it printed: ${output}`));
    };
    const timer = setTimeout(() => fail(`printed nothing matching ${ready} within ${timeout} ms`), timeout);
    void exited.then(() => fail('ended before it was ready'));
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const found = ready.exec(output);
      if (found === null) return;
      clearTimeout(timer);
      resolve(found[1]!);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
  });
  return {
    address,
    output: () => output,
    stop: (signal) => {
      child.kill(signal);
      return exited;
    },
  };
}
