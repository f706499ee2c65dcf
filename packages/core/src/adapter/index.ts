export type {
  CallOptionsV1, DeployOptionsV1, DeployResultV1, DeploymentStatusReportV1, GetLogsOptionsV1,
  HealthCheckResultV1, ListDeploymentsOptionsV1, ListDeploymentsResultV1, ListedDeploymentV1, ListOffersResultV1, ProviderAdapter, ProviderAdapterV1,
} from './provider-adapter-v1';
export { assertSupportedAdapter, canHandle } from './assert-adapter';
