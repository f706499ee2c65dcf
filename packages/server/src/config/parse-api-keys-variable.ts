import { ConfigurationError } from '@aurora/router';
import { sha256, type ApiKeyRecord } from '../auth/api-key';
import { apiKeyScopeSchema, tenantSchema, type ApiKeyScope } from './router-config-schema';

const minimumKeyLength = 16;

/**
 * Parses `AURORA_API_KEYS="key:tenant:scope1+scope2,..."`. The keys are hashed at once; errors
 * name the entry by position, never by its key.
 */
export function parseApiKeysVariable(value: string, variableName = 'AURORA_API_KEYS'): ApiKeyRecord[] {
  const entries = value.split(',').map((entry) => entry.trim()).filter((entry) => entry.length > 0);
  return entries.map((entry, index) => {
    const fail = (problem: string): never => {
      throw new ConfigurationError({
        message: `Invalid configuration: ${variableName}: entry ${index + 1}: ${problem} (expected "key:tenant:scope1+scope2")`,
        setting: variableName,
      });
    };
    const parts = entry.split(':');
    if (parts.length !== 3) fail(`has ${parts.length} ":"-separated parts, needs 3`);
    const [key, tenant, scopeList] = parts as [string, string, string];
    if (key.length < minimumKeyLength) fail(`the key is shorter than ${minimumKeyLength} characters`);
    if (!tenantSchema.safeParse(tenant).success) fail(`tenant "${tenant}" is not 1-64 letters, digits, ".", "_" or "-"`);
    const scopes = scopeList.split('+').map((scope) => scope.trim()).filter((scope) => scope.length > 0);
    if (scopes.length === 0) fail('no scopes');
    for (const scope of scopes) {
      if (!apiKeyScopeSchema.safeParse(scope).success) fail(`unknown scope "${scope}"; scopes: ${apiKeyScopeSchema.options.join(', ')}`);
    }
    const digest = sha256(key);
    return {
      id: `${variableName}#${index + 1}`,
      sha256: digest,
      tenant,
      scopes: new Set(scopes as ApiKeyScope[]),
    };
  });
}
