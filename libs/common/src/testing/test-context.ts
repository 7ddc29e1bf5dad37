import { INestApplicationContext, Module, ModuleMetadata } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig } from '../config';
import { ConfigModule } from '../config.module';
import { DatabaseModule } from '../database/database.module';
import { dropTestSchema } from './test-database';

export interface TestContext {
  ctx: INestApplicationContext;
  /** Closes the context, then drops the suite's schema (on a server). */
  close(): Promise<void>;
}

/** A Nest context of `imports` on the suite's database (testConfig), as an integration spec needs it. */
export async function openTestContext(config: AppConfig, imports: ModuleMetadata['imports']): Promise<TestContext> {
  @Module({ imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(), ...(imports ?? [])] })
  class TestModule {}
  const ctx = await NestFactory.createApplicationContext(TestModule, { logger: false });
  return {
    ctx,
    close: async () => {
      await ctx.close();
      await dropTestSchema(config);
    },
  };
}
