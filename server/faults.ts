/** Test-only hooks (the fault tests kill the hub between commit and answer). */
export interface HubFaults {
  afterCommit?: (changeId: string) => void;
}
