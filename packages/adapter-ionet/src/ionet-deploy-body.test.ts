import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@aurora/router';
import { createRoutingRequest } from '@aurora/router/testkit';
import { buildIonetDeployBody, ionetResourceName } from './ionet-deploy-body';
import { ionetDefaults } from './ionet-settings';

const placement = { hardware_id: 203, location_id: 3, gpus_per_container: 2, replica_count: 1 };
const options = { name: 'aurora-key-1', durationHours: 3, defaultTrafficPort: 8000, secretEnvPattern: ionetDefaults.secretEnvPattern };

describe('ionetResourceName', () => {
  it('keeps a key that is already a safe slug readable', () => {
    expect(ionetResourceName('9b2f6a1e-5c4d-4e7f-8a9b-0c1d2e3f4a5b')).toBe('aurora-9b2f6a1e-5c4d-4e7f-8a9b-0c1d2e3f4a5b');
  });

  it('hashes keys that need rewriting, so keys that slug alike stay apart', () => {
    const upper = ionetResourceName('Tenant/Job 1');
    const lower = ionetResourceName('tenant-job-1');
    expect(upper).toMatch(/^aurora-tenant-job-1-[0-9a-f]{12}$/);
    expect(lower).toBe('aurora-tenant-job-1');
    expect(upper).not.toBe(lower);
  });

  it('is deterministic and at most 63 characters', () => {
    const long = 'x'.repeat(200);
    expect(ionetResourceName(long)).toBe(ionetResourceName(long));
    expect(ionetResourceName(long).length).toBeLessThanOrEqual(63);
    expect(ionetResourceName('!!!')).toMatch(/^aurora-[0-9a-f]{12}$/);
  });
});

describe('buildIonetDeployBody', () => {
  it('sends only documented keys: name, duration, GPUs, hardware, one location, container and registry config', () => {
    const request = createRoutingRequest({
      image: 'vllm/vllm-openai:latest',
      ports: [8080],
      command: ['python3', '-m', 'vllm.entrypoints.openai.api_server'],
      env: { HF_HOME: '/data', HF_TOKEN: 'hf_secret', DB_PASSWORD: 'p' },
    });
    expect(buildIonetDeployBody(request, placement, options)).toEqual({
      resource_private_name: 'aurora-key-1',
      duration_hours: 3,
      gpus_per_container: 2,
      hardware_id: 203,
      location_ids: [3],
      container_config: {
        replica_count: 1,
        traffic_port: 8080,
        entrypoint: ['python3', '-m', 'vllm.entrypoints.openai.api_server'],
        env_variables: { HF_HOME: '/data' },
        secret_env_variables: { HF_TOKEN: 'hf_secret', DB_PASSWORD: 'p' },
      },
      registry_config: { image_url: 'vllm/vllm-openai:latest' },
    });
  });

  it('defaults the traffic port and omits empty optional parts', () => {
    const body = buildIonetDeployBody(createRoutingRequest({ image: 'nginx' }), placement, options);
    expect(body.container_config).toEqual({ replica_count: 1, traffic_port: 8000 });
  });

  it('uses the default image when the request has none', () => {
    expect(buildIonetDeployBody(createRoutingRequest(), placement, { ...options, defaultImage: 'busybox' }).registry_config).toEqual({ image_url: 'busybox' });
  });

  it('rejects a request without an image, or with more than one port', () => {
    const attempt = () => buildIonetDeployBody(createRoutingRequest({ ports: [80, 443] }), placement, options);
    expect(attempt).toThrow(/image: is required/);
    try {
      attempt();
    } catch (error) {
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).issues.map((issue) => issue.field)).toEqual(['image', 'ports']);
    }
  });
});
