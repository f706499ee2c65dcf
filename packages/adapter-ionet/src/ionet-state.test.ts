import { describe, expect, it } from 'vitest';
import type { IonetWorker } from './ionet-api';
import { isWorkerReady, mapIonetState, needsWorkers, normalizeIonetStatus } from './ionet-state';

const worker = (overrides: Partial<IonetWorker> = {}): IonetWorker => ({ container_id: 'c1', public_url: null, ...overrides });
const ready = (id: string) => worker({ container_id: id, public_url: `https://${id}.example`, status: 'running' });

describe('mapIonetState', () => {
  it.each([
    ['deployment requested', 'pending'],
    ['unpaid', 'pending'],
    ['deploying', 'provisioning'],
    ['failed', 'failed'],
    ['termination requested', 'terminating'],
    ['destroyed', 'terminated'],
    ['terminated', 'terminated'],
    ['completed', 'terminated'],
  ] as const)('maps %s to %s and keeps the raw status', (raw, expected) => {
    const mapped = mapIonetState({ status: raw });
    expect(mapped.status).toBe(expected);
    expect(mapped.provider_status).toBe(raw);
    expect(mapped.endpoint).toBeNull();
  });

  it('reports completed (prepaid time ran out) as terminated with the reason "expired"', () => {
    expect(mapIonetState({ status: 'completed' }).message).toMatch(/^expired/);
  });

  it('keeps running without containers at provisioning', () => {
    expect(mapIonetState({ status: 'running', total_containers: 1 }, [])).toMatchObject({ status: 'provisioning', message: '0/1 containers ready' });
  });

  it('is provisioning while a container has no public_url, with the newest container event', () => {
    const pulling = worker({ container_events: [{ time: '2026-01-01T00:00:00Z', message: 'Deployment requested' }, { time: '2026-01-01T00:00:05Z', message: 'Pulling image' }] });
    const mapped = mapIonetState({ status: 'running', total_containers: 1 }, [pulling]);
    expect(mapped).toMatchObject({ status: 'provisioning', endpoint: null, message: '0/1 containers ready; Pulling image' });
  });

  it('is provisioning while fewer containers are ready than total_containers', () => {
    expect(mapIonetState({ status: 'running', total_containers: 2 }, [ready('a'), worker({ container_id: 'b' })]).status).toBe('provisioning');
  });

  it('is running with every container up, and its endpoint is the first public_url', () => {
    expect(mapIonetState({ status: 'running', total_containers: 2 }, [ready('a'), ready('b')])).toEqual({
      status: 'running',
      provider_status: 'running',
      endpoint: 'https://a.example',
    });
  });

  it('counts the listed containers when total_containers is missing', () => {
    expect(mapIonetState({ status: 'running' }, [ready('a')]).status).toBe('running');
  });

  it('does not count a container with a public_url but a broken status as ready', () => {
    expect(mapIonetState({ status: 'running', total_containers: 1 }, [worker({ public_url: 'https://x', status: 'Exited' })]).status).toBe('provisioning');
  });

  it('tolerates case, underscores and extra spaces in statuses', () => {
    expect(mapIonetState({ status: 'Termination_Requested ' }).status).toBe('terminating');
    expect(normalizeIonetStatus('  DEPLOYMENT   requested')).toBe('deployment requested');
  });

  it('treats an unknown status as still on its way, or terminated once finished_at is set', () => {
    expect(mapIonetState({ status: 'paused' })).toMatchObject({ status: 'provisioning', provider_status: 'paused' });
    expect(mapIonetState({ status: 'archived', finished_at: '2026-01-01T00:00:00Z' }).status).toBe('terminated');
  });

  it('gives failed the last container event as its message', () => {
    const crashed = worker({ container_events: [{ time: '2026-01-01T00:00:01Z', message: 'Container exited with code 1' }] });
    expect(mapIonetState({ status: 'failed' }, [crashed]).message).toBe('Container exited with code 1');
  });
});

describe('needsWorkers and isWorkerReady', () => {
  it('fetches containers only for running, deploying and failed deployments', () => {
    expect(needsWorkers('running')).toBe(true);
    expect(needsWorkers('deploying')).toBe(true);
    expect(needsWorkers('failed')).toBe(true);
    expect(needsWorkers('deployment requested')).toBe(false);
    expect(needsWorkers('destroyed')).toBe(false);
  });

  it('treats an unreported worker status as fine once public_url is set', () => {
    expect(isWorkerReady(worker({ public_url: 'https://x' }))).toBe(true);
    expect(isWorkerReady(worker())).toBe(false);
  });
});
