// The errors feature's public face: one way to show a OneMapError.
export { ErrorNotice, useErrorText } from './ErrorNotice';
