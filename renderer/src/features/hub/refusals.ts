/** The hub's refusal codes a refused change is explained with (`hub.refused.reason.<code>`; docs/HUB-API.md); others show their code. */
export const hubRefusalCodes = ['out-of-scope', 'unknown-layer', 'invalid-request', 'change-id-reused', 'missing-attachment', 'hash-mismatch', 'too-large', 'version-conflict', 'forbidden-role', 'set-not-empty', 'not-found'] as const;
