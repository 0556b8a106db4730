// The editor's lab session: the lab files as snapshots, and the connection pools that follow them.
// A pool lives as long as its file and its SSH settings do.

import { LabPools, type PoolFactory } from './labPools';
import { LabWorkspace, type LabLoader, type Unsubscribe } from './labWorkspace';

export class LabSession {
  readonly workspace: LabWorkspace;
  readonly pools: LabPools;
  private readonly following: Unsubscribe;

  constructor(createPool: PoolFactory, load?: LabLoader) {
    this.workspace = new LabWorkspace(load);
    this.pools = new LabPools(createPool);
    this.following = this.workspace.onDidChange(({ key, snapshot }) => {
      if (snapshot) this.pools.labChanged(key, snapshot.result.lab);
      else this.pools.close(key);
    });
  }

  dispose(): void {
    this.following.dispose();
    this.pools.dispose();
  }
}
