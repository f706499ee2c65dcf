const prefix = 'ionet:';

/** Our id for an io.net deployment: `ionet:<uuid>`. */
export function toProviderDeploymentId(deploymentId: string): string {
  return deploymentId.startsWith(prefix) ? deploymentId : `${prefix}${deploymentId}`;
}

/** io.net's own deployment id, from `ionet:<uuid>` or a bare uuid. */
export function fromProviderDeploymentId(providerDeploymentId: string): string {
  return providerDeploymentId.startsWith(prefix) ? providerDeploymentId.slice(prefix.length) : providerDeploymentId;
}
