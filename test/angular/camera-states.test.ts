// @vitest-environment jsdom
import '@angular/compiler';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { BrowserTestingModule, platformBrowserTesting } from '@angular/platform-browser/testing';
import { EventSource } from 'eventsource';
import { firstValueFrom, filter } from 'rxjs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CameraBadgeComponent } from '../../examples/angular/camera-badge.component.js';
import { CAMERAS_URL, CameraStates, OPEN_EVENT_SOURCE } from '../../examples/angular/camera-states.service.js';
import type { ConnectionStateMessage } from '../../src/index.js';
import { startExample } from '../example-process.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The demo's server (simulator, NestJS app, camera `demo`) in a process of its own: this file
 * runs in a browser-like environment, the server side does not belong in it.
 */
async function startServer(...args: string[]): Promise<{ base: string; stop(): Promise<void> }> {
  const server = await startExample('examples/demo/main.ts', ['--port', '0', ...args], { ready: /open (http:\/\/127\.0\.0\.1:\d+)\// });
  return { base: `${server.address}/cameras`, stop: async () => void (await server.stop('SIGINT')) };
}

let server: Awaited<ReturnType<typeof startServer>>;
let base: string;
/** Every EventSource the service opened, and whether it was closed. */
let sources: Array<{ url: string; closed: boolean }>;

beforeAll(async () => {
  TestBed.initTestEnvironment(BrowserTestingModule, platformBrowserTesting());
  server = await startServer('--no-faults');
  base = server.base;
}, 30_000);

afterAll(() => server?.stop());

/** Angular's test module for the service, talking to the server at `base`. */
function configure(base: string): void {
  sources = [];
  TestBed.configureTestingModule({
    providers: [
      provideZonelessChangeDetection(),
      { provide: CAMERAS_URL, useValue: base },
      // Node has no EventSource of its own: the eventsource package, over real HTTP to the NestJS app.
      {
        provide: OPEN_EVENT_SOURCE,
        useValue: (url: string) => {
          const record = { url, closed: false };
          sources.push(record);
          const source = new EventSource(url);
          const close = source.close.bind(source);
          source.close = () => ((record.closed = true), close());
          return source as unknown as globalThis.EventSource;
        },
      },
    ],
  });
}

beforeEach(() => configure(base));

afterEach(() => TestBed.resetTestingModule());

const next = (states: CameraStates, status: ConnectionStateMessage['status']) => firstValueFrom(states.state$('demo').pipe(filter((state) => state.status === status)));

async function until(test: () => boolean, timeout = 20_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`not true after ${timeout} ms`);
    await sleep(50);
  }
}

describe('CameraStates, the Angular service, under Angular DI against the NestJS app', () => {
  it('is provided in root, shares one EventSource per camera, follows an outage, and closes with its last subscriber', async () => {
    // A server of its own, whose camera stalls after 6 s.
    const faulty = await startServer('--fault-every', '6');
    TestBed.resetTestingModule();
    configure(faulty.base);
    const states = TestBed.inject(CameraStates);
    expect(TestBed.inject(CameraStates)).toBe(states);
    const seen: string[] = [];
    const first = states.state$('demo').subscribe((state) => seen.push(state.status));
    const second = states.state$('demo').subscribe();
    await next(states, 'connected');
    expect(sources).toEqual([{ url: `${faulty.base}/demo/state`, closed: false }]);

    const outage = await next(states, 'reconnecting');
    expect(outage).toMatchObject({ cause: { code: 'STALLED' } });
    await next(states, 'connected');
    expect(seen).toEqual(expect.arrayContaining(['connected', 'reconnecting', 'connecting']));

    first.unsubscribe();
    expect(sources[0]!.closed).toBe(false);
    second.unsubscribe();
    expect(sources[0]!.closed).toBe(true);
    await faulty.stop();
  }, 40_000);

  it('gives a signal per camera, undefined until the server speaks, closed with its injection context', async () => {
    const states = TestBed.inject(CameraStates);
    const state = TestBed.runInInjectionContext(() => states.state('demo'));
    expect(state()).toBeUndefined();
    await until(() => state()?.status === 'connected');
    expect(state()).toMatchObject({ status: 'connected', info: { width: 640, height: 480 } });
    TestBed.resetTestingModule();
    expect(sources.every((source) => source.closed)).toBe(true);
  }, 20_000);

  it('errors for a camera the server does not have', async () => {
    const states = TestBed.inject(CameraStates);
    await expect(firstValueFrom(states.state$('garage'))).rejects.toThrow(`the camera state stream ${base}/garage/state was refused`);
  });

  it('drives the component example: the picture and the state of its camera, released when destroyed', async () => {
    const fixture = TestBed.createComponent(CameraBadgeComponent);
    fixture.componentRef.setInput('camera', 'demo');
    const element = fixture.nativeElement as HTMLElement;
    await until(() => (fixture.detectChanges(), element.querySelector('figcaption')?.textContent?.trim() === 'demo: connected, 640x480'));
    expect(element.querySelector('img')?.getAttribute('src')).toBe('/cameras/demo/live.mjpeg');
    expect(element.querySelector('figcaption')?.className).toBe('connected');
    fixture.destroy();
    expect(sources.map((source) => source.closed)).toEqual([true]);
  }, 20_000);
});
