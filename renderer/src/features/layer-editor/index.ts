// The layer editor's public face: its sidebar tab (图层定义), where a planner creates a thematic
// layer or changes a layer's fields, allowed values and status workflow.
export { layerEditorTab } from './tab';
