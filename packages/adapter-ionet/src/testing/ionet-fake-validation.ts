/** One FastAPI validation issue: `{ loc, msg, type }`. */
export type ValidationIssue = { loc: Array<string | number>; msg: string; type: string };

type FieldRule = {
  required?: boolean;
  check: (value: unknown) => string | undefined;
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const integer = (minimum: number, maximum = Number.MAX_SAFE_INTEGER) => (value: unknown) =>
  Number.isInteger(value) && (value as number) >= minimum && (value as number) <= maximum ? undefined : `Input should be an integer between ${minimum} and ${maximum}`;
const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? undefined : 'Input should be a valid string');
const optionalText = (value: unknown) => (value === null || typeof value === 'string' ? undefined : 'Input should be a valid string');
const id = (value: unknown) => (Number.isInteger(value) || (typeof value === 'string' && value !== '') ? undefined : 'Input should be a valid integer');
const textList = (value: unknown) => (Array.isArray(value) && value.every((item) => typeof item === 'string') ? undefined : 'Input should be a valid list of strings');
const textRecord = (value: unknown) =>
  isRecord(value) && Object.values(value).every((item) => typeof item === 'string') ? undefined : 'Input should be a valid dictionary of strings';
const object = (value: unknown) => (isRecord(value) ? undefined : 'Input should be a valid dictionary');

const deployRules: Record<string, FieldRule> = {
  resource_private_name: { required: true, check: text },
  duration_hours: { required: true, check: integer(1) },
  gpus_per_container: { required: true, check: integer(1, 8) },
  hardware_id: { required: true, check: id },
  location_ids: { check: (value) => (Array.isArray(value) && value.every((item) => id(item) === undefined) ? undefined : 'Input should be a valid list of integers') },
  node_pool_id: { check: text },
  container_config: { required: true, check: object },
  registry_config: { required: true, check: object },
};
const containerRules: Record<string, FieldRule> = {
  replica_count: { required: true, check: integer(1, 100) },
  traffic_port: { required: true, check: integer(1, 65_535) },
  entrypoint: { check: textList },
  args: { check: textList },
  command: { check: text },
  env_variables: { check: textRecord },
  secret_env_variables: { check: textRecord },
};
const registryRules: Record<string, FieldRule> = {
  image_url: { required: true, check: text },
  registry_username: { check: optionalText },
  registry_secret: { check: optionalText },
};

/** Checks an object against rules the way pydantic with `extra="forbid"` does. */
function checkObject(value: Record<string, unknown>, rules: Record<string, FieldRule>, location: Array<string | number>): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [key, rule] of Object.entries(rules)) {
    if (!(key in value) || value[key] === undefined) {
      if (rule.required) issues.push({ loc: [...location, key], msg: 'Field required', type: 'missing' });
      continue;
    }
    const problem = rule.check(value[key]);
    if (problem) issues.push({ loc: [...location, key], msg: problem, type: 'value_error' });
  }
  for (const key of Object.keys(value)) {
    if (!(key in rules)) issues.push({ loc: [...location, key], msg: 'Extra inputs are not permitted', type: 'extra_forbidden' });
  }
  return issues;
}

/** The `CaaSDeployClusterRequest` checks: required fields, no unknown keys at any level, one location. */
export function validateDeployBody(body: unknown): ValidationIssue[] {
  if (!isRecord(body)) return [{ loc: ['body'], msg: 'Input should be a valid dictionary', type: 'dict_type' }];
  const issues = checkObject(body, deployRules, ['body']);
  if (isRecord(body.container_config)) issues.push(...checkObject(body.container_config, containerRules, ['body', 'container_config']));
  if (isRecord(body.registry_config)) issues.push(...checkObject(body.registry_config, registryRules, ['body', 'registry_config']));
  const locations = Array.isArray(body.location_ids) ? body.location_ids : undefined;
  if (locations && locations.length > 1) {
    issues.push({ loc: ['body', 'location_ids'], msg: 'Only single location supported', type: 'value_error' });
  }
  if (locations && body.node_pool_id !== undefined) {
    issues.push({ loc: ['body', 'node_pool_id'], msg: 'Use either location_ids or node_pool_id, not both', type: 'value_error' });
  }
  if ((!locations || locations.length === 0) && body.node_pool_id === undefined) {
    issues.push({ loc: ['body', 'location_ids'], msg: 'Field required', type: 'missing' });
  }
  return issues;
}

/** `ExtendCluster`: `{ "duration_hours": <int > 0> }` and nothing else. */
export function validateExtendBody(body: unknown): ValidationIssue[] {
  if (!isRecord(body)) return [{ loc: ['body'], msg: 'Input should be a valid dictionary', type: 'dict_type' }];
  return checkObject(body, { duration_hours: { required: true, check: integer(1) } }, ['body']);
}

/** `ContainerUpdateRequest`: a flat body; a `container_config` wrapper is `extra_forbidden`. */
export function validateUpdateBody(body: unknown): ValidationIssue[] {
  if (!isRecord(body)) return [{ loc: ['body'], msg: 'Input should be a valid dictionary', type: 'dict_type' }];
  const rules: Record<string, FieldRule> = {
    env_variables: { check: textRecord },
    secret_env_variables: { check: textRecord },
    entrypoint: { check: textList },
    args: { check: textList },
    command: { check: text },
    traffic_port: { check: integer(1, 65_535) },
    image_url: { check: text },
    registry_username: { check: optionalText },
    registry_secret: { check: optionalText },
  };
  return checkObject(body, rules, ['body']);
}

/** A required query parameter, else a `missing` issue. */
export function queryValue(query: URLSearchParams, names: readonly string[], issues: ValidationIssue[]): string | undefined {
  for (const name of names) {
    const value = query.get(name);
    if (value !== null && value !== '') return value;
  }
  issues.push({ loc: ['query', names[0]!], msg: 'Field required', type: 'missing' });
  return undefined;
}

/** A positive integer query parameter (`hardware_qty=2`), else an issue. */
export function queryInteger(query: URLSearchParams, names: readonly string[], issues: ValidationIssue[], minimum = 1): number | undefined {
  const raw = queryValue(query, names, issues);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < minimum) {
    issues.push({ loc: ['query', names[0]!], msg: `Input should be an integer >= ${minimum}`, type: 'int_parsing' });
    return undefined;
  }
  return value;
}

/**
 * `location_ids` as the spec has it (a JSON array in the query: `[3]`), and the forms clients may
 * send instead: a bare id (`3`), a comma list (`3,7`) or the parameter repeated.
 */
export function queryLocationIds(query: URLSearchParams, issues: ValidationIssue[]): string[] | undefined {
  const values = query.getAll('location_ids').filter((value) => value !== '');
  if (values.length === 0) {
    issues.push({ loc: ['query', 'location_ids'], msg: 'Field required', type: 'missing' });
    return undefined;
  }
  const ids: string[] = [];
  for (const value of values) {
    const trimmed = value.trim();
    if (trimmed.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(trimmed);
        if (!Array.isArray(parsed)) throw new Error('not a list');
        ids.push(...parsed.map(String));
      } catch {
        issues.push({ loc: ['query', 'location_ids'], msg: 'Input should be a valid JSON list', type: 'json_invalid' });
        return undefined;
      }
    } else {
      ids.push(...trimmed.split(',').map((part) => part.trim()).filter(Boolean));
    }
  }
  return ids;
}
