import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import type { ApiKeyRecord } from '../auth/api-key';
import { createApiKeyVerifier } from '../auth/api-key-verifier';
import { anonymousPrincipal, hasScope, type Principal } from '../auth/principal';
import type { ApiKeyScope, PublicEndpointName } from '../config/router-config-schema';
import { AuthenticationError } from '../errors/authentication-error';
import { PermissionError } from '../errors/permission-error';
import { RateLimitError } from '../errors/rate-limit-error';

/** What a route needs: a scope, or to be one of the endpoints that may be public. */
export type RouteAuth = { scope: ApiKeyScope } | { publicEndpoint: PublicEndpointName };

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller; set before any handler runs (anonymous when auth is off or on a public endpoint). */
    principal: Principal;
  }
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
}

export type AuthenticationPluginOptions = {
  apiKeys: readonly ApiKeyRecord[];
  publicEndpoints: readonly PublicEndpointName[];
  rateLimit: { enabled: boolean; max: number; time_window_ms: number };
};

type AuthState = { principal: Principal | undefined; failure: 'missing' | 'invalid' | undefined };
const authState = Symbol('aurora.auth');
type WithAuthState = FastifyRequest & { [authState]?: AuthState };

const bearerPattern = /^Bearer[ \t]+(\S+)[ \t]*$/i;
/** Routes without an `auth` config (unknown paths included) need a valid key with `read`. */
const defaultAuth: RouteAuth = { scope: 'read' };

/**
 * API keys as `Authorization: Bearer <key>`, compared by SHA-256 in constant time; scopes per
 * route; rate limiting per key (per address for callers without a valid key). Order: identify
 * (onRequest) -> rate limit (route onRequest) -> authorize (preParsing), so failed attempts are
 * rate limited too and no body is parsed for a caller who may not send it.
 */
const authentication: FastifyPluginAsync<AuthenticationPluginOptions> = async (fastify, options) => {
  const authEnabled = options.apiKeys.length > 0;
  const verifier = createApiKeyVerifier(options.apiKeys);
  const publicEndpoints = new Set(options.publicEndpoints);

  // A reference type may not be a decorator default: every request gets its principal here.
  fastify.decorateRequest('principal', null as unknown as Principal);

  fastify.addHook('onRequest', async (request) => {
    request.principal = anonymousPrincipal;
    if (!authEnabled) return;
    const header = request.headers.authorization;
    const state: AuthState = { principal: undefined, failure: undefined };
    if (header === undefined || header === '') {
      state.failure = 'missing';
    } else {
      const match = bearerPattern.exec(header);
      const record = match ? verifier.verify(match[1]!) : undefined;
      if (record) state.principal = { keyId: record.id, tenant: record.tenant, scopes: record.scopes };
      else state.failure = 'invalid';
    }
    (request as WithAuthState)[authState] = state;
  });

  if (options.rateLimit.enabled) {
    await fastify.register(rateLimit, {
      global: true,
      hook: 'onRequest',
      max: options.rateLimit.max,
      timeWindow: options.rateLimit.time_window_ms,
      keyGenerator: (request) => {
        const principal = (request as WithAuthState)[authState]?.principal;
        return principal?.keyId ? `key:${principal.keyId}` : `ip:${request.ip}`;
      },
      errorResponseBuilder: (_request, context) =>
        new RateLimitError({ limit: context.max, retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)) }),
    });
  }

  fastify.addHook('preParsing', async (request) => {
    const auth = request.routeOptions.config.auth ?? defaultAuth;
    if ('publicEndpoint' in auth && publicEndpoints.has(auth.publicEndpoint)) return;
    if (!authEnabled) return;
    const state = (request as WithAuthState)[authState];
    const principal = state?.principal;
    if (!principal) {
      throw new AuthenticationError({
        message: state?.failure === 'invalid' ? 'Invalid API key' : 'Missing API key: send "Authorization: Bearer <key>"',
      });
    }
    const scope = 'scope' in auth ? auth.scope : 'read';
    if (!hasScope(principal, scope)) throw new PermissionError({ requiredScope: scope });
    request.principal = principal;
  });
};

export const authenticationPlugin = fastifyPlugin(authentication, { name: 'aurora-authentication', fastify: '5.x' });
