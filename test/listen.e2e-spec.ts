import { INestApplication } from '@nestjs/common';
import { dropTestSchema, testConfig } from '@praxis/testing';
import { createApp, listen } from '../apps/api/src/bootstrap';

/**
 * The quick start's demo passwords are published in the README, so it must
 * not be reachable from the network: main.ts listens through `listen`, on
 * loopback unless HOST says otherwise.
 */
describe('where the api listens', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it.each([
    ['the quick start (no HOST)', {}, '127.0.0.1'],
    ['HOST=0.0.0.0 (a container)', { HOST: '0.0.0.0' }, '0.0.0.0'],
  ])('%s: listens on the address it should', async (_, env: NodeJS.ProcessEnv, address) => {
    const config = testConfig('listen', { PORT: '0', ...env });
    app = await createApp(config);
    await listen(app, config);
    expect((app.getHttpServer().address() as { address: string }).address).toBe(address);
    await app.close();
    app = undefined;
    await dropTestSchema(config);
  });
});
