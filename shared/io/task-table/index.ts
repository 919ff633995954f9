// Reading a 任务分解表 (targets by year from Excel or CSV): rows.ts reads, parse.ts makes targets.
export { readTableRows, TaskTableReadError, type TableRows } from './rows';
export { parseTaskTable, columnLetter, type TaskTableContext, type TaskTableProblem, type TaskTableResult } from './parse';
