import type {
  CallOptionsV1, DeployOptionsV1, DeployResultV1, ListDeploymentsOptionsV1, ListDeploymentsResultV1, Offer, RoutingRequest,
} from '@aurora/router';
import { MockAdapter, type MockAdapterOptions } from '@aurora/router/testkit';

export type ListableMockAdapterOptions = MockAdapterOptions & {
  /** Deployments per `listDeployments` page; default 100. */
  pageSize?: number;
  /** Whether listed deployments carry `created_at` (some providers only give a block height); default true. */
  reportsCreatedAt?: boolean;
};

/**
 * A MockAdapter whose provider lists the account's live deployments, newest last, a page at a
 * time (the cursor is an offset). `setListFailure` makes listings fail.
 */
export class ListableMockAdapter extends MockAdapter {
  readonly listCalls: Array<string | undefined> = [];
  private readonly createdAt = new Map<string, number>();
  private readonly pageSize: number;
  private readonly reportsCreatedAt: boolean;
  private readonly now: () => number;
  private listFailure: Error | undefined;

  constructor(options: ListableMockAdapterOptions = {}) {
    super(options);
    this.pageSize = options.pageSize ?? 100;
    this.reportsCreatedAt = options.reportsCreatedAt ?? true;
    const clock = options.clock ?? Date;
    this.now = () => clock.now();
  }

  override async deploy(request: RoutingRequest, offer: Offer, options: DeployOptionsV1): Promise<DeployResultV1> {
    const result = await super.deploy(request, offer, options);
    this.createdAt.set(result.provider_deployment_id, this.now());
    return result;
  }

  setListFailure(error: Error | undefined): void {
    this.listFailure = error;
  }

  async listDeployments(options: ListDeploymentsOptionsV1 = {}): Promise<ListDeploymentsResultV1> {
    this.listCalls.push(options.cursor);
    if (this.listFailure) throw this.listFailure;
    const offset = options.cursor === undefined ? 0 : Number(options.cursor);
    const live = this.activeDeploymentIds();
    const deployments = live.slice(offset, offset + this.pageSize).map((id) => ({
      provider_deployment_id: id,
      status: 'running' as const,
      provider_status: 'mock:running',
      ...(this.reportsCreatedAt ? { created_at: new Date(this.createdAt.get(id)!).toISOString() } : {}),
    }));
    const next = offset + this.pageSize;
    return { deployments, ...(next < live.length ? { next_cursor: String(next) } : {}) };
  }

  /** Deploys straight at the provider, past the server: what a lost ledger write leaves behind. */
  async placeBehindTheLedger(request: RoutingRequest, offer: Offer, key: string, options?: CallOptionsV1): Promise<string> {
    const result = await this.deploy(request, offer, { idempotency_key: key, ...options });
    return result.provider_deployment_id;
  }
}
