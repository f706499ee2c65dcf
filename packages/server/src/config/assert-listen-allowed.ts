import { ConfigurationError } from '@aurora/router';

const loopbackNames = new Set(['localhost', '::1', '0:0:0:0:0:0:0:1', '[::1]', 'ip6-localhost']);

/** 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(host: string): boolean {
  const value = host.trim().toLowerCase();
  if (loopbackNames.has(value)) return true;
  const ipv4 = value.startsWith('::ffff:') ? value.slice('::ffff:'.length) : value;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ipv4);
}

/**
 * Without API keys anyone who reaches the port could deploy (and spend) on the operator's
 * accounts, so the server listens only on loopback until keys are configured.
 */
export function assertListenAllowed(host: string, apiKeyCount: number): void {
  if (apiKeyCount > 0 || isLoopbackHost(host)) return;
  throw new ConfigurationError({
    message:
      `Refusing to listen on ${host} without API keys: anyone reaching it could deploy on your provider accounts. ` +
      'Configure api_keys in router.yaml (SHA-256 hashes) or AURORA_API_KEYS="key:tenant:route+read", or listen on 127.0.0.1.',
    setting: 'server.host',
  });
}
