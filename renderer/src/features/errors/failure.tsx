// A panel's last outcome: a sentence of its own (done, nothing to do…) or a failure, kept as data
// (code + details) so it is said through errors.<code> and never as the error's raw message.
import { oneMapErrorData, type OneMapErrorData } from '../../../../shared/errors';
import { ErrorNotice } from './ErrorNotice';

export interface Failure {
  error: OneMapErrorData;
  /** The panel's own sentence around the error's (e.g. `(reason) => t('photos.failed', { reason })`). */
  frame?: (sentence: string) => string;
}

/** Anything caught, as a failure to show (A's store codes, shared/ codes, or `unexpected`). */
export function failure(caught: unknown, frame?: (sentence: string) => string): Failure {
  return { error: oneMapErrorData(caught), frame };
}

export function isFailure(value: unknown): value is Failure {
  return typeof value === 'object' && value !== null && 'error' in value;
}

/** A status line, or the failure in its place (role alert, the raw cause behind 详情). */
export function Outcome({ value, className, testId }: { value: string | Failure; className?: string; testId?: string }) {
  if (isFailure(value)) return <ErrorNotice error={value.error} frame={value.frame} className={className} testId={testId} />;
  return (
    <p role="status" className={className} data-testid={testId}>
      {value}
    </p>
  );
}
