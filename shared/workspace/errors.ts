import { OneMapError } from '../errors';

/** Codes for what a boundary file or a workspace template can be refused for (`errors.<code>` in the UI). */
export const workspaceErrorCodes = [
  'workspace.boundary-empty',
  'workspace.boundary-crs-unknown',
  'workspace.boundary-no-code-field',
  'workspace.boundary-no-name-field',
  'workspace.boundary-not-polygon',
  'workspace.boundary-code-missing',
  'workspace.boundary-code-invalid',
  'workspace.boundary-duplicate-code',
  'workspace.boundary-name-missing',
  'workspace.boundary-polygon-self-intersection',
  'workspace.boundary-polygon-too-few-points',
  'workspace.boundary-polygon-degenerate',
  'workspace.name-missing',
  'workspace.name-taken',
  'workspace.template-invalid',
  'workspace.template-version',
] as const;
export type WorkspaceErrorCode = (typeof workspaceErrorCodes)[number];

/** A boundary file or template that cannot make a workspace; `details` name the file, feature, field and value. */
export class WorkspaceError extends OneMapError {
  override name = 'WorkspaceError';
  declare readonly code: WorkspaceErrorCode;
  constructor(code: WorkspaceErrorCode, details: Record<string, unknown> = {}) {
    super(code, details);
  }
}
