/** A provider JWT the fake minted, as the gateway checks it. */
export type AkashFakeToken = {
  id: number;
  token: string;
  ttlSeconds: number;
  issuedAt: number;
  expiresAt: number;
  /** `full`, or scopes per provider (`granular`), or scopes for every provider (`scoped`). */
  access: { kind: 'full' } | { kind: 'scoped'; scope: string[] } | { kind: 'granular'; permissions: Array<{ provider: string; access: string; scope: string[] }> };
  /** Set by the `expired-token` fault: the token stops working after this many lines on a socket. */
  expireAfterLines?: number;
  /** True once the gateway has treated it as expired. */
  revoked: boolean;
};

export type TokenCheck = { ok: true; token: AkashFakeToken } | { ok: false; message: string };

/** Mints JWT-shaped tokens (readable `exp`, fake signature) and checks them for the gateway. */
export class AkashFakeTokens {
  readonly issued: AkashFakeToken[] = [];

  constructor(private readonly owner: string) {}

  /** A token for a POST /v1/create-jwt-token body, or a message saying why the body is not one. */
  mint(body: unknown, now: number): AkashFakeToken | string {
    const data = isDict(body) && isDict(body['data']) ? body['data'] : undefined;
    if (!data) return 'body must be { data: { ttl, leases } }';
    const ttl = Number(data['ttl']);
    if (!Number.isFinite(ttl) || ttl <= 0 || ttl > 3600) return 'data.ttl must be between 1 and 3600 seconds';
    const access = parseAccess(data['leases']);
    if (typeof access === 'string') return access;
    const id = this.issued.length + 1;
    const expiresAt = now + ttl * 1000;
    const header = encode({ alg: 'ES256K', typ: 'JWT' });
    const payload = encode({ iss: this.owner, iat: now / 1000, nbf: now / 1000, exp: expiresAt / 1000, version: 'v1', leases: data['leases'] });
    const token: AkashFakeToken = { id, token: `${header}.${payload}.${Buffer.from(`fake-signature-${id}`).toString('base64url')}`, ttlSeconds: ttl, issuedAt: now, expiresAt, access, revoked: false };
    this.issued.push(token);
    return token;
  }

  /** Checks an `Authorization` header for `scope` on `provider` (any provider when undefined). */
  check(authorization: string | undefined, scope: string, provider: string | undefined, now: number): TokenCheck {
    const value = authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
    if (!value) return { ok: false, message: 'missing bearer token' };
    const token = this.issued.find((candidate) => candidate.token === value);
    if (!token) return { ok: false, message: 'invalid token' };
    if (token.revoked || now >= token.expiresAt || token.expireAfterLines === 0) {
      token.revoked = true;
      return { ok: false, message: 'token expired' };
    }
    if (!allows(token, scope, provider)) return { ok: false, message: `token has no ${scope} permission for this provider` };
    return { ok: true, token };
  }
}

function allows(token: AkashFakeToken, scope: string, provider: string | undefined): boolean {
  const { access } = token;
  if (access.kind === 'full') return true;
  if (access.kind === 'scoped') return access.scope.includes(scope);
  return access.permissions.some(
    (permission) => (provider === undefined || permission.provider === provider) && (permission.access === 'full' || permission.scope.includes(scope)),
  );
}

function parseAccess(leases: unknown): AkashFakeToken['access'] | string {
  if (!isDict(leases)) return 'data.leases is required';
  const kind = leases['access'];
  if (kind === 'full') return { kind: 'full' };
  if (kind === 'scoped') return { kind: 'scoped', scope: strings(leases['scope']) };
  if (kind === 'granular' && Array.isArray(leases['permissions'])) {
    const permissions = leases['permissions'].filter(isDict).map((permission) => ({
      provider: String(permission['provider'] ?? ''),
      access: String(permission['access'] ?? 'scoped'),
      scope: strings(permission['scope']),
    }));
    return { kind: 'granular', permissions };
  }
  return 'data.leases.access must be full, scoped or granular (with permissions)';
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function isDict(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
