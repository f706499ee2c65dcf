import type { CallOptionsV1, DeployOptionsV1, DeployResultV1, DeploymentStatusReportV1, Offer, RoutingRequest } from '@aurora/router';
import { MockAdapter, type MockAdapterOptions } from '@aurora/router/testkit';

/**
 * A MockAdapter whose provider can look deployments up by the idempotency key they were created
 * with (`findDeployment`), as providers with unique deployment names can. `forget` makes one
 * unknown, as if the deploy call never reached the provider.
 */
export class FindableMockAdapter extends MockAdapter {
  private readonly byKey = new Map<string, string>();
  readonly findCalls: string[] = [];

  constructor(options: MockAdapterOptions = {}) {
    super(options);
  }

  override async deploy(request: RoutingRequest, offer: Offer, options: DeployOptionsV1): Promise<DeployResultV1> {
    const result = await super.deploy(request, offer, options);
    this.byKey.set(options.idempotency_key, result.provider_deployment_id);
    return result;
  }

  async findDeployment(idempotencyKey: string, options?: CallOptionsV1): Promise<DeploymentStatusReportV1 | undefined> {
    this.findCalls.push(idempotencyKey);
    const id = this.byKey.get(idempotencyKey);
    return id === undefined ? undefined : this.getStatus(id, options);
  }

  forget(idempotencyKey: string): void {
    this.byKey.delete(idempotencyKey);
  }
}
