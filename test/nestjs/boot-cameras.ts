import 'reflect-metadata';
import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { CamerasController } from '../../examples/nestjs/cameras.controller.js';

/**
 * Boots the example app's controller with `imports` on a loopback port. Returns the app, the
 * cameras' base URL and the server's sockets, to look at what waits to be sent.
 */
export async function bootCameras(imports: ModuleMetadata['imports']): Promise<{ app: INestApplication; base: string; sockets: Socket[] }> {
  const moduleRef = await Test.createTestingModule({ imports, controllers: [CamerasController] }).compile();
  // As in the example app: a client that stopped reading must not hold up shutdown.
  const app = moduleRef.createNestApplication({ logger: false, forceCloseConnections: true });
  const sockets: Socket[] = [];
  (app.getHttpServer() as Server).on('connection', (socket: Socket) => sockets.push(socket));
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as { port: number };
  return { app, base: `http://127.0.0.1:${port}/cameras`, sockets };
}
