// The team hub feature's public face: the 团队同步 tab, the header indicator and the per-feature
// "not yet on the hub" mark. The controller they read is lib/hub-sync.tsx.
export { hubTab, hubTabId } from './tab';
export { HubIndicator } from './HubIndicator';
export { NotOnHubMark } from './NotOnHubMark';
