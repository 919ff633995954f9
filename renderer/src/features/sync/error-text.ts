import { EditPackageError } from '../../../../shared/sync';
import { StoreError } from '../../db';
import { localized } from '../../lib/localize';

/** An error as the user reads it: the store's and the package's own messages, in the UI language. */
export function errorText(error: unknown, language: string): string {
  if (error instanceof EditPackageError || error instanceof StoreError) return localized(error.messages, language);
  return error instanceof Error ? error.message : String(error);
}
