export interface FleetOptions {
  /** Number of Tomcat nodes. */
  nodes: number;
  /** Folder to write (emptied first). */
  dir: string;
  /** Nodes per host, 1 to 9 (default 8). */
  perHost?: number;
  /** Cluster membership of the whole fleet (default multicast). */
  membership?: 'multicast' | 'static';
}

export interface Fleet {
  dir: string;
  /** Every file written, absolute; cluster-lint.config.json not included. */
  files: string[];
  nodes: number;
  hosts: number;
}

export function generateFleet(options: FleetOptions): Fleet;
