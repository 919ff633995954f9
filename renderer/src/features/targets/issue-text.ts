// A validation issue of shared/model (English, technical) as a planner reads it: the common
// cases in the UI's language, anything else as it is.
import type { TFunction } from 'i18next';

const KNOWN: readonly [RegExp, string][] = [
  [/expected string to have >=1 characters|expected object, received undefined|expected string, received undefined/, 'targets.issue.required'],
  [/Invalid ISO date/, 'targets.issue.date'],
  [/expected number to be >0/, 'targets.issue.positive'],
  [/expected number to be >=0/, 'targets.issue.nonNegative'],
  [/expected number, received/, 'targets.issue.number'],
  [/deadline before start/, 'targets.issue.deadlineBeforeStart'],
  [/too_small|expected array to have >=1 items/, 'targets.issue.required'],
];

export function issueText(message: string, t: TFunction): string {
  const key = KNOWN.find(([pattern]) => pattern.test(message))?.[1];
  return key === undefined ? message : t(key);
}
