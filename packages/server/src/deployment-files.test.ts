import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigurationError } from '@aurora/router';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { assertListenAllowed } from './config/assert-listen-allowed';
import { parseApiKeysVariable } from './config/parse-api-keys-variable';
import { resolveServerConfig } from './config/resolve-server-config';

// The deployment files at the repository root (Dockerfile, k8s/), checked offline: every manifest
// against the Kubernetes OpenAPI schemas, the cross-references between them, and the embedded
// configuration against the server's own validation.

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const k8sDirectory = path.join(repositoryRoot, 'k8s');

type Manifest = { file: string; apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; [key: string]: unknown };
type Model = new (data: Record<string, unknown>) => { validate(): void };

const modelsByType: Record<string, Model> = {
  'apps/v1/Deployment': Deployment as unknown as Model,
  'v1/Service': Service as unknown as Model,
  'v1/ConfigMap': ConfigMap as unknown as Model,
  'v1/Secret': Secret as unknown as Model,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler as unknown as Model,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget as unknown as Model,
};

function loadManifests(): Manifest[] {
  const files = readdirSync(k8sDirectory).filter((file) => file.endsWith('.yaml') || file.endsWith('.yml')).sort();
  return files.flatMap((file) => {
    const documents = parseAllDocuments(readFileSync(path.join(k8sDirectory, file), 'utf8'));
    if (!Array.isArray(documents)) throw new Error(`${file}: not a YAML stream`);
    return documents
      .map((document) => {
        if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]!.message}`);
        return document.toJS() as Manifest | null;
      })
      .filter((manifest): manifest is Manifest => manifest !== null)
      .map((manifest) => ({ ...manifest, file }));
  });
}

const manifests = loadManifests();

function only(kind: string, name?: string): Manifest {
  const found = manifests.filter((manifest) => manifest.kind === kind && (name === undefined || manifest.metadata.name === name));
  expect(found, `exactly one ${kind}${name ? ` ${name}` : ''}`).toHaveLength(1);
  return found[0]!;
}

function withoutFile({ file: _file, ...manifest }: Manifest): Record<string, unknown> {
  return manifest;
}

type EnvVar = { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } } };
type Probe = { httpGet?: { path: string; port: string | number } };
type Container = {
  name: string;
  image: string;
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: EnvVar[];
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; capabilities?: { drop?: string[] } };
};
type Volume = { name: string; configMap?: { name: string }; secret?: { secretName: string; items?: Array<{ key: string }> }; emptyDir?: object };
type PodSpec = {
  containers: Container[];
  volumes?: Volume[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  terminationGracePeriodSeconds?: number;
};
type DeploymentManifest = Manifest & {
  spec: { replicas: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
};

const deployment = () => only('Deployment') as DeploymentManifest;
const podSpec = () => deployment().spec.template.spec;
const container = () => {
  const containers = podSpec().containers;
  expect(containers).toHaveLength(1);
  return containers[0]!;
};
const secretData = (name: string) => (only('Secret', name) as Manifest & { stringData?: Record<string, string> }).stringData ?? {};
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

describe('k8s manifests', () => {
  it('are all known Kubernetes kinds and valid against the OpenAPI schemas', () => {
    expect(manifests.length).toBeGreaterThanOrEqual(7);
    for (const manifest of manifests) {
      const type = `${manifest.apiVersion}/${manifest.kind}`;
      const Model = modelsByType[type];
      expect(Model, `${manifest.file}: no validator for ${type}; add it to modelsByType`).toBeDefined();
      expect(() => new Model!(withoutFile(manifest)).validate(), `${manifest.file}: ${type} ${manifest.metadata?.name}`).not.toThrow();
      expect(manifest.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(manifest.metadata, `${manifest.file}: manifests are namespace-less`).not.toHaveProperty('namespace');
    }
  });

  it('has one file per kind the deployment needs', () => {
    const files = new Set(manifests.map((manifest) => manifest.file));
    for (const file of ['deployment.yaml', 'service.yaml', 'configmap.yaml', 'secret.example.yaml', 'hpa.yaml', 'pdb.yaml']) expect(files).toContain(file);
  });

  it('the schema validation rejects a broken manifest (the check above can fail)', () => {
    const broken = structuredClone(withoutFile(deployment())) as { spec: { replicas: unknown } };
    broken.spec.replicas = 'two';
    expect(() => new Deployment(broken as never).validate()).toThrow(/replicas/);
  });

  it('runs several replicas whose pods the selector, Service, HPA and PDB all select', () => {
    const { spec } = deployment();
    expect(spec.replicas).toBeGreaterThanOrEqual(2);
    const podLabels = spec.template.metadata.labels;
    expect(matches(spec.selector.matchLabels, podLabels)).toBe(true);

    const service = only('Service') as Manifest & { spec: { selector: Record<string, string>; ports: Array<{ targetPort: string | number }> } };
    expect(matches(service.spec.selector, podLabels)).toBe(true);
    const portNames = (container().ports ?? []).map((port) => port.name);
    for (const port of service.spec.ports) expect(portNames).toContain(port.targetPort);

    const pdb = only('PodDisruptionBudget') as Manifest & { spec: { selector: { matchLabels: Record<string, string> }; minAvailable?: number } };
    expect(matches(pdb.spec.selector.matchLabels, podLabels)).toBe(true);
    expect(pdb.spec.minAvailable).toBeLessThan(spec.replicas);

    const hpa = only('HorizontalPodAutoscaler') as Manifest & { spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number; maxReplicas: number } };
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment().metadata.name });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
  });

  it('probes liveness at /health and readiness at /ready on the container port', () => {
    const main = container();
    const portNames = (main.ports ?? []).flatMap((port) => [port.name, port.containerPort]);
    expect(main.livenessProbe?.httpGet?.path).toBe('/health');
    expect(main.readinessProbe?.httpGet?.path).toBe('/ready');
    for (const probe of [main.livenessProbe, main.readinessProbe, main.startupProbe]) {
      if (probe) expect(portNames).toContain(probe.httpGet?.port);
    }
  });

  it('runs as non-root on a read-only root filesystem with a writable /tmp, without privileges', () => {
    const spec = podSpec();
    const main = container();
    expect(spec.securityContext?.runAsNonRoot).toBe(true);
    expect(spec.securityContext?.runAsUser).toBeGreaterThan(0);
    expect(main.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(main.securityContext?.runAsUser ?? spec.securityContext?.runAsUser).toBeGreaterThan(0);
    expect(main.securityContext?.capabilities?.drop).toContain('ALL');
    const tmp = main.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
    expect(tmp, '/tmp is mounted').toBeDefined();
    expect(spec.volumes?.find((volume) => volume.name === tmp!.name)?.emptyDir).toBeDefined();
    expect(main.resources?.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(main.resources?.limits?.memory).toEqual(expect.any(String));
    // Longer than the server's own drain, so SIGKILL never cuts a graceful shutdown short.
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(10);
  });

  it('mounts the ConfigMap at AURORA_CONFIG_DIR and references only Secrets and keys that the example defines', () => {
    const spec = podSpec();
    const main = container();
    const environment = new Map((main.env ?? []).map((variable) => [variable.name, variable]));
    const configDirectory = environment.get('AURORA_CONFIG_DIR')?.value;
    expect(configDirectory).toBeDefined();
    const configMount = main.volumeMounts?.find((mount) => mount.mountPath === configDirectory);
    expect(configMount?.readOnly).toBe(true);
    const configVolume = spec.volumes?.find((volume) => volume.name === configMount!.name);
    expect(configVolume?.configMap?.name).toBe(only('ConfigMap').metadata.name);

    expect(environment.get('AURORA_DATABASE_URL')?.valueFrom?.secretKeyRef).toBeDefined();
    expect(environment.get('AURORA_HOST')?.value).toBe('0.0.0.0');
    expect(environment.get('AURORA_API_KEYS')?.valueFrom?.secretKeyRef, 'a non-loopback host needs API keys').toBeDefined();

    for (const variable of main.env ?? []) {
      const reference = variable.valueFrom?.secretKeyRef;
      if (reference) expect(secretData(reference.name), `${variable.name}: ${reference.name}/${reference.key}`).toHaveProperty(reference.key);
      if (/(KEY|KEYS|TOKEN|SECRET|PASSWORD|DATABASE_URL)$/.test(variable.name)) {
        expect(variable.value, `${variable.name} comes from a Secret, never a literal`).toBeUndefined();
      }
    }
    for (const volume of spec.volumes ?? []) {
      if (!volume.secret) continue;
      for (const item of volume.secret.items ?? []) expect(secretData(volume.secret.secretName)).toHaveProperty(item.key);
    }
    const fileVariables = (main.env ?? []).filter((variable) => variable.name.endsWith('_API_KEY_FILE'));
    expect(fileVariables.length, 'shows the mounted-file way of passing provider credentials').toBeGreaterThan(0);
    for (const variable of fileVariables) {
      const mounted = main.volumeMounts?.some((mount) => variable.value?.startsWith(`${mount.mountPath}/`));
      expect(mounted, `${variable.name} points into a mounted volume`).toBe(true);
    }
  });
});

describe('secret.example.yaml', () => {
  const secrets = manifests.filter((manifest) => manifest.kind === 'Secret') as Array<Manifest & { data?: unknown; stringData?: Record<string, string> }>;

  it('holds only placeholders, never a real-looking secret', () => {
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(secret.file).toBe('secret.example.yaml');
      expect(secret.data, 'base64 `data` would hide what is inside').toBeUndefined();
      for (const [key, value] of Object.entries(secret.stringData ?? {})) {
        expect(value, `${secret.metadata.name}/${key}`).toContain('REPLACE_ME');
        const rest = value.replaceAll('REPLACE_ME', '');
        // A long run of mixed letters and digits looks like a key or token.
        const tokens = rest.match(/[A-Za-z0-9+/=_-]{20,}/g) ?? [];
        expect(tokens.filter((token) => /\d/.test(token) && /[a-z]/i.test(token)), `${secret.metadata.name}/${key}`).toEqual([]);
      }
    }
  });

  it('its API key placeholder is refused, so an unedited copy cannot start an open server', () => {
    expect(() => parseApiKeysVariable(secretData('aurora-router')['api-keys']!)).toThrow(ConfigurationError);
  });
});

describe('configuration files', () => {
  const configMap = () => only('ConfigMap') as Manifest & { data: Record<string, string> };
  const apiKeys = 'a-test-key-of-32-characters-long:default:route+read';

  it('the ConfigMap holds providers.yaml and router.yaml that pass the server configuration validation', () => {
    const { data } = configMap();
    expect(Object.keys(data).sort()).toEqual(['providers.yaml', 'router.yaml']);
    const config = resolveServerConfig({
      router: { content: parse(data['router.yaml']!), name: 'configmap router.yaml' },
      providers: { content: parse(data['providers.yaml']!), name: 'configmap providers.yaml' },
      environment: { AURORA_API_KEYS: apiKeys, AURORA_DATABASE_URL: 'postgres://aurora@127.0.0.1:5432/aurora' },
      configDirectory: '/etc/aurora',
    });
    expect(config.databaseUrl).toBeDefined();
    expect(config.router.server.port).toBe(8080);
    // It listens on all interfaces, which the server allows only with API keys.
    expect(() => assertListenAllowed(config.router.server.host, 0)).toThrow(ConfigurationError);
    expect(() => assertListenAllowed(config.router.server.host, config.apiKeys.length)).not.toThrow();
  });

  it('the config validation the ConfigMap check relies on rejects a broken file', () => {
    const router = parse(configMap().data['router.yaml']!) as Record<string, unknown>;
    expect(() => resolveServerConfig({ router: { content: { ...router, replicas: 2 }, name: 'router.yaml' } })).toThrow(/replicas/);
  });

  it('the image default configuration (config/, copied by the Dockerfile) is valid', () => {
    const read = (file: string) => parse(readFileSync(path.join(repositoryRoot, 'config', file), 'utf8'));
    const config = resolveServerConfig({
      router: { content: read('router.yaml'), name: 'config/router.yaml' },
      providers: { content: read('providers.yaml'), name: 'config/providers.yaml' },
      environment: { AURORA_HOST: '0.0.0.0', AURORA_API_KEYS: apiKeys },
    });
    expect(config.router.server.host).toBe('0.0.0.0');
  });
});

describe('Dockerfile', () => {
  const lines = readFileSync(path.join(repositoryRoot, 'Dockerfile'), 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const instructions = lines.map((line) => {
    const [keyword = '', ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), argument: rest.join(' ') };
  });
  const finalStage = instructions.slice(instructions.findLastIndex((instruction) => instruction.keyword === 'FROM'));
  const last = (keyword: string) => finalStage.filter((instruction) => instruction.keyword === keyword).at(-1)?.argument;

  it('is a multi-stage build whose runtime stage copies the build output', () => {
    const stages = instructions.filter((instruction) => instruction.keyword === 'FROM');
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(finalStage.some((instruction) => instruction.keyword === 'COPY' && instruction.argument.startsWith('--from='))).toBe(true);
    expect(instructions.some((instruction) => /pnpm install --frozen-lockfile/.test(instruction.argument))).toBe(true);
    expect(instructions.some((instruction) => /pnpm .*deploy/.test(instruction.argument) && /--prod/.test(instruction.argument))).toBe(true);
  });

  it('runs as a numeric non-root user', () => {
    const user = last('USER');
    expect(user).toBeDefined();
    const [uid] = user!.split(':');
    expect(uid).toMatch(/^\d+$/);
    expect(Number(uid)).toBeGreaterThan(0);
    expect(Number(uid)).toBe(podSpec().securityContext?.runAsUser);
  });

  it('has a HEALTHCHECK on /health, exposes 8080, stops on SIGTERM and keeps the SQLite ledger on the /data volume', () => {
    expect(last('HEALTHCHECK')).toMatch(/\/health/);
    expect(last('HEALTHCHECK')).not.toMatch(/\bcurl\b|\bwget\b/);
    expect(last('EXPOSE')).toBe('8080');
    expect(last('STOPSIGNAL')).toBe('SIGTERM');
    expect(last('VOLUME')).toContain('/data');
    const environment = finalStage.filter((instruction) => instruction.keyword === 'ENV').map((instruction) => instruction.argument).join(' ');
    expect(environment).toMatch(/AURORA_SQLITE_PATH=\/data\//);
    expect(environment).toMatch(/AURORA_HOST=0\.0\.0\.0/);
  });

  it('copies config files that exist', () => {
    const copies = finalStage.filter((instruction) => instruction.keyword === 'COPY' && !instruction.argument.startsWith('--from='));
    const sources = copies.flatMap((copy) => copy.argument.split(/\s+/).filter((part) => !part.startsWith('--')).slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(() => readFileSync(path.join(repositoryRoot, source)), source).not.toThrow();
  });
});
