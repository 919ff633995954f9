// The coded-field filter's public face: the filter the layer panel and the bulk dialog share.
export { CodedFieldFilter } from './CodedFieldFilter';
