// The workspaces feature's public face: the 工作区 / Workspaces sidebar tab.
export { workspacesTab } from './tab';
