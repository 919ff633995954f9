// How every failure reaches the user: one sentence from errors.<code>, the raw cause behind 详情.
export { ErrorNotice, useErrorText, type ErrorNoticeProps } from './ErrorNotice';
export { failure, isFailure, Outcome, type Failure } from './failure';
