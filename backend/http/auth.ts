// The token: Bearer header, the cookie set by opening /?token=..., or ?token= on the stream. Static UI files are public.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { httpError } from './http-errors';

export interface AuthOptions {
  token: string;
  /** The listening port: it is part of the cookie name, since cookies ignore ports. */
  port: () => number | undefined;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Route needs no token (GET /api/health). */
    public?: boolean;
    /** Route also accepts ?token= (the WebSocket stream: scripts cannot always set headers). */
    queryToken?: boolean;
  }
}

export const cookieName = (port: number | undefined): string => `sockscope_token_${port ?? 0}`;

export function installAuth(app: FastifyInstance, opts: AuthOptions): void {
  const expected = digest(opts.token);
  // ?token=a&token=b parses to an array: only a single string can match.
  const matches = (candidate: unknown) => typeof candidate === 'string' && timingSafeEqual(digest(candidate), expected);

  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route === '/' && typeof queryOf(request).token === 'string') return landing(request, reply);
    // Decided by the matched route, never by the raw URL: encoded or odd paths cannot sneak past.
    if (route === undefined || !route.startsWith('/api') || request.routeOptions.config.public) return;
    const candidates: unknown[] = [bearer(request), ...cookies(request, cookieName(opts.port()))];
    if (request.routeOptions.config.queryToken) candidates.push(queryOf(request).token);
    if (!candidates.some(matches)) throw unauthorized();
  });

  /** A browser opening the printed URL: trade the token for an HttpOnly cookie and drop it from the address bar. */
  async function landing(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    if (!matches(queryOf(request).token)) throw unauthorized();
    return reply
      .header('set-cookie', `${cookieName(opts.port())}=${opts.token}; HttpOnly; SameSite=Strict; Path=/`)
      .header('cache-control', 'no-store')
      .redirect('/', 302);
  }
}

const unauthorized = () =>
  httpError('UNAUTHORIZED', 'missing or wrong token: send "Authorization: Bearer TOKEN" or open the printed URL');

/** Hashing first makes both sides the same length, so the comparison time says nothing about the token. */
const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

const queryOf = (request: FastifyRequest): Record<string, unknown> => (request.query ?? {}) as Record<string, unknown>;

function bearer(request: FastifyRequest): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return m?.[1];
}

/**
 * Every value of the named cookie. Cookies ignore ports, so any page on 127.0.0.1 can plant one of the same name (with a
 * longer Path it is even sent first): the request is accepted when any of them holds the token. The header size limit
 * bounds how many there are.
 */
function cookies(request: FastifyRequest, name: string): string[] {
  const values: string[] = [];
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) values.push(part.slice(eq + 1).trim());
  }
  return values;
}
