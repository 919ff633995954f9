// The bulk status feature's public face: the dialog that moves many features to one status.
export { BulkStatusDialog } from './BulkStatusDialog';
