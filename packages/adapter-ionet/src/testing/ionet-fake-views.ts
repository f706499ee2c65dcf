import type { IonetFakeDeployment, IonetFakeStore } from './ionet-fake-store';

const iso = (time: number | undefined) => (time === undefined ? null : new Date(time).toISOString());

/** `DeploymentDetails` of the reference (`GET /deployment/{id}`, `POST .../extend`). */
export function deploymentDetailsView(store: IonetFakeStore, deployment: IonetFakeDeployment) {
  const now = store.clock.now();
  const status = store.status(deployment, now);
  const runningAt = store.runningAt(deployment);
  const started = status !== 'deployment requested' && status !== 'failed' && now >= runningAt;
  const totalMinutes = deployment.durationHours * 60;
  const served = started ? Math.min(totalMinutes, Math.floor(((store.finishedAt(deployment) ?? now) - runningAt) / store.timing.hourMs * 60)) : 0;
  const { env_variables: environment, secret_env_variables: secrets, entrypoint, traffic_port: trafficPort } = deployment.containerConfig as Record<string, unknown>;
  return {
    id: deployment.id,
    status,
    created_at: iso(deployment.createdAt),
    started_at: started ? iso(runningAt) : null,
    finished_at: iso(store.finishedAt(deployment)),
    amount_paid: deployment.amountPaid,
    completed_percent: Math.round((served / totalMinutes) * 10_000) / 100,
    total_gpus: deployment.gpusPerContainer * deployment.replicaCount,
    gpus_per_container: deployment.gpusPerContainer,
    total_containers: deployment.replicaCount,
    hardware_name: deployment.hardware.hardware_name,
    hardware_id: deployment.hardware.hardware_id,
    locations: [deployment.location],
    brand_name: deployment.hardware.brand_name,
    compute_minutes_served: served,
    compute_minutes_remaining: totalMinutes - served,
    container_config: {
      entrypoint: entrypoint ?? [],
      env_variables: environment ?? {},
      traffic_port: trafficPort,
      image_url: deployment.registryConfig.image_url,
      secret_env_keys: Object.keys((secrets as Record<string, string> | undefined) ?? {}),
    },
  };
}

/** `WorkerData` of each container: present once running, `public_url` once ready. */
export function workersView(store: IonetFakeStore, deployment: IonetFakeDeployment, publicBase: string) {
  const now = store.clock.now();
  const status = store.status(deployment, now);
  if (now < store.runningAt(deployment) && !deployment.forcedStatus) return [];
  const ready = now >= store.readyAt(deployment) && status === 'running';
  const image = String(deployment.registryConfig.image_url);
  return deployment.containerIds.map((containerId, index) => {
    const events = [
      { time: iso(deployment.createdAt), message: 'Deployment requested' },
      { time: iso(store.runningAt(deployment)), message: `Pulling image ${image}` },
    ];
    if (deployment.fails) events.push({ time: iso(store.runningAt(deployment)), message: 'Container exited with code 1' });
    else if (now >= store.readyAt(deployment)) events.push({ time: iso(store.readyAt(deployment)), message: 'Container started' });
    return {
      device_id: `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`,
      container_id: containerId,
      hardware: deployment.hardware.hardware_name,
      brand_name: deployment.hardware.brand_name,
      created_at: iso(store.runningAt(deployment)),
      uptime_percent: ready ? 100 : 0,
      gpus_per_container: deployment.gpusPerContainer,
      status: deployment.fails ? 'failed' : ready ? 'running' : status === 'running' ? 'pending' : 'terminated',
      container_events: events,
      public_url: ready ? `${publicBase}/fake-workers/${containerId}` : null,
    };
  });
}

/** A row of `GET /deployments`. */
export function deploymentSummaryView(store: IonetFakeStore, deployment: IonetFakeDeployment) {
  const details = deploymentDetailsView(store, deployment);
  return {
    id: deployment.id,
    status: details.status,
    name: deployment.name,
    completed_percent: details.completed_percent,
    hardware_quantity: details.total_gpus,
    brand_name: details.brand_name,
    hardware_name: details.hardware_name,
    compute_minutes_served: details.compute_minutes_served,
    compute_minutes_remaining: details.compute_minutes_remaining,
  };
}
