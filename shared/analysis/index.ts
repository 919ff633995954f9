export * from './calendar';
export * from './target-selection';
export * from './metric-value';
export * from './target-progress';
export * from './progress-by-county';
export * from './completions-by-month';
export * from './overdue-features';
