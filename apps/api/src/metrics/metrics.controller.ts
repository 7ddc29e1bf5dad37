import { Controller, Get, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '@praxis/identity';
import { isLoopback } from './loopback';
import { PraxisMetrics } from './praxis-metrics';

/**
 * Prometheus text for "anyone on the host" (PRODUCT.md): open without a token,
 * but only to a loopback peer; anyone else gets the router's own 404, so the
 * route's existence does not leak. Decided on the socket's address alone, never
 * X-Forwarded-For; a reverse proxy on the same host must therefore not pass
 * /metrics through.
 */
@Public()
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: PraxisMetrics) {}

  @Get()
  async scrape(@Req() req: Request, @Res() res: Response): Promise<void> {
    // Word for word the router's own 404 for an unknown path (same exception, same filter, no error code).
    if (!isLoopback(req.socket.remoteAddress)) throw new NotFoundException(`Cannot ${req.method} ${req.originalUrl}`);
    const body = await this.metrics.scrape();
    res.setHeader('Content-Type', this.metrics.contentType);
    res.send(body);
  }
}
