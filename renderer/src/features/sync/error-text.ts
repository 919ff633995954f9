import { EditPackageError } from '../../../../shared/sync';
import { StoreError } from '../../db';

/** An error as the user reads it: the store's and the package's own messages, in the UI language. */
export function errorText(error: unknown, language: string): string {
  if (error instanceof EditPackageError || error instanceof StoreError) return language.startsWith('zh') ? error.messages.zh : error.messages.en;
  return error instanceof Error ? error.message : String(error);
}
