// The two ways a change ends without writing anything: refused (an invalid operation) or
// cancelled (its signal aborted before the commit).
import { OneMapError } from '../../../../shared/errors';
import { StoreError } from '../durability';
import type { OperationProblem } from './types';

/** The change's `signal` was aborted before it was written: nothing was written. */
export class ChangeAbortedError extends StoreError {
  readonly messages = { zh: '已取消，未写入任何数据。', en: 'Cancelled: nothing was written.' };

  constructor() {
    super('store.change-aborted', 'change aborted before it was written: nothing was written');
    this.name = 'ChangeAbortedError';
  }
}

/**
 * Thrown (and nothing written) when any operation of a change is invalid. Not a `StoreError`: the
 * editors show its problems (`message`) as they are.
 */
export class ChangeRejectedError extends OneMapError {
  constructor(readonly problems: OperationProblem[]) {
    const described = problems
      .slice(0, 5)
      .map((problem) => `#${problem.operationIndex} ${problem.layerId}/${problem.featureId ?? '(new)'}: ${problem.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
    if (problems.length > 5) described.push(`and ${problems.length - 5} more`);
    const message = `change rejected: ${described.join(' | ')}`;
    super('store.change-rejected', { technical: message, count: problems.length });
    this.message = message;
    this.name = 'ChangeRejectedError';
  }
}
