import { INestApplication } from '@nestjs/common';
import { AppConfig, Clock, SystemClock } from '@praxis/common';
import { dropTestSchema, testConfig } from '@praxis/testing';
import { AppOptions, createApp } from '../../apps/api/src/bootstrap';

/** The real application on a real port, on the suite's own database. */
export interface RunningApp {
  app: INestApplication;
  config: AppConfig;
  baseUrl: string;
  close(): Promise<void>;
}

export async function startApp(
  suite: string,
  env: NodeJS.ProcessEnv = {},
  clock: Clock = new SystemClock(),
  options: AppOptions = {},
): Promise<RunningApp> {
  const config = testConfig(suite, env);
  const app = await createApp(config, clock, options);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    config,
    baseUrl: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await app.close();
      await dropTestSchema(config);
    },
  };
}
