// What the hub project's globalSetup hands to the test files (vitest provide/inject).
export interface HubTestCluster {
  dataDir: string;
  port: number;
  template: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    hubTestCluster: HubTestCluster;
  }
}

export const TEMPLATE_DATABASE = 'onemap_template';
