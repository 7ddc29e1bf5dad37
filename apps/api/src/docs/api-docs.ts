import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '@praxis/common';
import { annotateAccess, BEARER, handlerAccess, operationId } from './access-annotations';
import { serveDocsPage } from './docs-page';

export const DOCS_JSON_PATH = '/api/docs-json';

/** The OpenAPI document, generated from the controllers, the DTOs' @ApiProperty and the access decorators. */
export function buildApiDocument(app: NestExpressApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Praxis API')
    .setDescription(
      'An event-sourced reflective-practice journal. JSON under `/api`; errors are `{statusCode, error, message}`. ' +
        'Sign in with `POST /api/auth/login` and send its `accessToken` as `Authorization: Bearer <accessToken>` (Authorize, above).',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The accessToken from POST /api/auth/login' }, BEARER)
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: operationId,
    autoTagControllers: true,
  });
  return annotateAccess(document, handlerAccess(app));
}

/**
 * GET /api/docs-json (the document, built on first request) and GET /api/docs
 * (Swagger UI). Both are plain Express routes outside Nest's guard, so public
 * by construction, as PRODUCT.md asks ("anyone").
 */
export function setupApiDocs(app: NestExpressApplication, config: AppConfig): void {
  SwaggerModule.setup('api/docs', app, () => buildApiDocument(app), {
    ui: false,
    raw: ['json'],
    jsonDocumentUrl: DOCS_JSON_PATH,
  });
  serveDocsPage(app, config.production);
}
