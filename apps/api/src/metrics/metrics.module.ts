import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { PraxisMetrics } from './praxis-metrics';

/** GET /metrics; bootstrap mounts httpMetricsMiddleware with this module's PraxisMetrics. */
@Module({
  controllers: [MetricsController],
  providers: [PraxisMetrics],
  exports: [PraxisMetrics],
})
export class MetricsModule {}
