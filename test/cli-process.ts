import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// Run from a directory of the user's, which has no tsx of its own.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const command = (args: readonly string[]) => [process.execPath, '--import', tsx, join(root, 'src/cli/main.ts'), ...args];

/** Runs `rtsp-rx` from the sources in `cwd`, as a process of its own, as a user's shell would; resolves when it ends. */
export function runRtspRx(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const [node, ...rest] = command(args);
    execFile(node!, rest, { cwd, env: { ...process.env, ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number((error as { code?: number }).code), output: `${stdout}${stderr}` });
    });
  });
}

/** `rtsp-rx` left running in `cwd`, on a pseudo-terminal (through `script`) or on pipes. */
export function startRtspRx(args: string[], cwd: string, terminal: boolean, env: NodeJS.ProcessEnv = {}) {
  const parts = command(args);
  const options = { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] as ['pipe', 'pipe', 'pipe'] };
  const child = terminal
    ? // `exec`: the shell `script` starts (dash on a fresh Debian) would otherwise take the Ctrl-C too and exit 130.
      spawn('script', ['-qfec', `exec ${parts.map((part) => `'${part}'`).join(' ')}`, '/dev/null'], options)
    : spawn(parts[0]!, parts.slice(1), options);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    output: () => output,
    /** Waits until the output matches; returns the match. */
    async until(what: RegExp, timeout = 15_000): Promise<RegExpExecArray> {
      const deadline = Date.now() + timeout;
      for (;;) {
        const found = what.exec(output);
        if (found !== null) return found;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} in:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    /** Ctrl-C: typed on the terminal, or SIGINT. Resolves with the exit code. */
    async interrupt(): Promise<number | null> {
      if (child.exitCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      if (terminal) child.stdin.write('\x03');
      else child.kill('SIGINT');
      const [code] = (await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve([undefined]), 10_000))])) as [number | null | undefined];
      if (code === undefined) child.kill('SIGKILL');
      return code ?? null;
    },
  };
}
