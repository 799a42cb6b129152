import { Controller, Get, Header, Inject, Param, Res, ServiceUnavailableException, Sse, type MessageEvent } from '@nestjs/common';
import type { Response } from 'express';
import { map, type Observable } from 'rxjs';
import { connectionStateMessage } from '../../src/index.js';
import { streamMjpeg } from '../../src/http/index.js';
import { RtspCameras } from '../../src/nestjs/index.js';

/**
 * The ready-made endpoints: per camera, its connection state as Server-Sent Events, a JPEG
 * snapshot and a live MJPEG stream. The cameras deliver JPEG (`pixelFormat: 'jpeg'`), encoded
 * in their capture processes, so this controller only forwards bytes.
 */
@Controller('cameras')
export class CamerasController {
  constructor(@Inject(RtspCameras) private readonly cameras: RtspCameras) {}

  @Get()
  list() {
    return this.cameras.names.map((name) => {
      const camera = this.cameras.get(name);
      return { name, connected: camera.isConnected, width: camera.frameWidth, height: camera.frameHeight, fps: camera.fps, reconnects: camera.reconnectCount };
    });
  }

  @Sse(':name/state')
  state(@Param('name') name: string): Observable<MessageEvent> {
    return this.cameras.connection$(name).pipe(map((state) => ({ type: 'state', data: connectionStateMessage(state) })));
  }

  @Get(':name/snapshot.jpg')
  @Header('Cache-Control', 'no-store')
  async snapshot(@Param('name') name: string, @Res() response: Response): Promise<void> {
    const frame = await this.cameras.get(name).snapshot();
    if (frame === undefined) throw new ServiceUnavailableException(`camera ${name} has no picture now; it is not connected`);
    response.type('image/jpeg').setHeader('X-Captured-At', String(frame.capturedAt));
    response.end(frame.data);
  }

  @Get(':name/live.mjpeg')
  live(@Param('name') name: string, @Res() response: Response): void {
    streamMjpeg(this.cameras.frames$(name), response);
  }
}
