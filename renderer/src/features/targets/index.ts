// The targets feature's public face: the 目标管理 tab, and the chosen target set (year) with its
// picker, which the dashboards follow.
export { targetsTab } from './tab';
export { TargetSetPicker } from './TargetSetPicker';
export { useChosenTargetSet, type ChosenTargetSet } from './chosen-set';
