import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig, Clock, ConfigModule, DatabaseModule, praxisValidationPipe, SystemClock } from '@praxis/common';
import { DataSource } from 'typeorm';
import { EventStoreModule } from '@praxis/event-store';
import { AccessGuard, IdentityModule } from '@praxis/identity';
import { ErasureModule } from '@praxis/erasure';
import { JournalModule } from '@praxis/journal';
import { ProjectionsModule } from '@praxis/projections';
import { JournalPagesController } from './journal/journal-pages.controller';
import { MyTrendsPageController } from './journal/my-trends-page.controller';
import { MeController } from './journal/me.controller';
import { MyDataPagesController } from './journal/my-data-pages.controller';
import { ReflectionsController } from './journal/reflections.controller';
import { AuthController } from './auth/auth.controller';
import { LOGIN_THROTTLERS } from './auth/login-throttle';
import { SignInCounts } from './auth/sign-in-counts';
import { HealthController } from './health/health.controller';
import { Lifecycle } from './health/lifecycle';
import { MetricsModule } from './metrics/metrics.module';
import { IdentityStartup } from './identity/identity-startup';
import { OrganisationsController } from './identity/organisations.controller';
import { ResearchersController } from './identity/researchers.controller';
import { WebErrorFilter } from './pages/not-found-page';
import { PageErrorFilter } from './pages/page-error.filter';
import { PageRenderer } from './pages/page-renderer';
import { ReflectionDrafts } from './journal/reflection-draft';
import { ReflectionPageViews } from './journal/reflection-page-views';
import { PagesController } from './pages/pages.controller';
import { AccountPagesController } from './pages/account-pages.controller';
import { AdminPagesController } from './identity/admin-pages.controller';
import { ResearchApiModule } from './research/research-api.module';
import { TrendsModule } from './trends/trends.module';

/** The composition root: every lib is wired here and nowhere else. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, clock),
        DatabaseModule.forRoot([]),
        EventStoreModule,
        IdentityModule,
        JournalModule,
        ErasureModule,
        ProjectionsModule,
        ResearchApiModule,
        TrendsModule,
        MetricsModule,
        // Counted in the database, so several api processes share one count.
        ThrottlerModule.forRootAsync({
          inject: [DataSource, Clock],
          useFactory: (dataSource: DataSource, clock: Clock) => ({
            ...LOGIN_THROTTLERS,
            storage: new SignInCounts(dataSource, clock),
          }),
        }),
      ],
      controllers: [
        HealthController,
        AuthController,
        OrganisationsController,
        ResearchersController,
        PagesController,
        ReflectionsController,
        MeController,
        JournalPagesController,
        MyTrendsPageController,
        MyDataPagesController,
        AccountPagesController,
        AdminPagesController,
      ],
      providers: [
        { provide: APP_FILTER, useClass: WebErrorFilter },
        // Closed by default: a route is reachable only as its @Public/@Roles/@OrganisationScope decorators say.
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_PIPE, useFactory: (clock: Clock) => praxisValidationPipe(clock), inject: [Clock] },
        IdentityStartup,
        PageRenderer,
        ReflectionDrafts,
        ReflectionPageViews,
        PageErrorFilter,
        Lifecycle,
      ],
    };
  }
}
