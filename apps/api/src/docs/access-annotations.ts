import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { HIDDEN_KEY, PUBLIC_KEY, Role, ROLES_KEY, WEB_PAGE_KEY } from '@praxis/identity';

export const BEARER = 'bearer';

/** What the AccessGuard will do with one handler, read from the same decorators it reads. */
export interface HandlerAccess {
  public: boolean;
  webPage: boolean;
  roles?: Role[];
  hidden: boolean;
}

/** The operation id @nestjs/swagger gives a handler (passed to it explicitly, so the two cannot drift). */
export const operationId = (controller: string, handler: string) => `${controller}_${handler}`;

/** Every handler of every controller in the app, by operation id, with its access rules. */
export function handlerAccess(app: INestApplication): Map<string, HandlerAccess> {
  const found = new Map<string, HandlerAccess>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        // The guard's own precedence: the handler's decorator, else the controller's.
        const read = <T>(key: string): T | undefined =>
          Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller);
        found.set(operationId(controller.name, name), {
          public: read<boolean>(PUBLIC_KEY) ?? false,
          webPage: read<boolean>(WEB_PAGE_KEY) ?? false,
          roles: read<Role[]>(ROLES_KEY),
          hidden: read<boolean>(HIDDEN_KEY) ?? false,
        });
      }
    }
  }
  return found;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * Security and access in the document come from the guard's decorators
 * (@Public, @Roles, @WebPage), not from a second set of swagger decorators
 * that could disagree with them: a route that needs a token says so, and
 * lists who may call it. Web pages (HTML, session cookie) are left out.
 */
export function annotateAccess(document: OpenAPIObject, access: Map<string, HandlerAccess>): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const rules = operation.operationId ? access.get(operation.operationId) : undefined;
      if (!rules) continue;
      if (rules.webPage) {
        delete item[method];
        continue;
      }
      operation.security = rules.public ? [] : [{ [BEARER]: [] }];
      if (rules.public) continue;
      const who = rules.roles ? rules.roles.join(', ') : 'any signed-in account';
      operation.description = [`Who: ${who}.`, operation.description].filter(Boolean).join(' ');
      operation.responses['401'] ??= { description: 'No valid bearer token' };
      if (rules.roles) {
        const refused = rules.hidden ? '404' : '403';
        operation.responses[refused] ??= {
          description: rules.hidden ? 'Another role: as if the route did not exist' : 'Another role',
        };
      }
    }
    if (!METHODS.some((m) => item[m])) delete document.paths[path];
  }
  return document;
}
