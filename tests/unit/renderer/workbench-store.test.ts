// The workbench store: one per provider, and the state changes the panels rely on.
import { describe, expect, it } from 'vitest';
import { createWorkbenchStore } from '../../../renderer/src/lib/workbench-store';
import { defaultLayerSettings } from '../../../renderer/src/lib/layer-state';

describe('workbench store', () => {
  it('starts on the progress tab with nothing selected, no county and no dialog open', () => {
    const state = createWorkbenchStore().getState();
    expect(state).toMatchObject({ tab: 'progress', selected: null, county: null, settingsChosen: {}, orderChosen: null, mapExportOpen: false, exportLayerId: null, bulk: null });
  });

  it('each store is its own (one per window, one per test)', () => {
    const a = createWorkbenchStore();
    const b = createWorkbenchStore();
    a.getState().setTab('layers');
    expect(b.getState().tab).toBe('progress');
  });

  it('selecting a feature from a list shows its hidden layer and keeps the other settings', () => {
    const store = createWorkbenchStore();
    const hidden = { ...defaultLayerSettings('wells'), visible: false, opacity: 0.5 };
    store.getState().setLayerSettings('wells', hidden);
    store.getState().selectAndShow({ layerId: 'wells', featureId: 'w1' });
    expect(store.getState().selected).toEqual({ layerId: 'wells', featureId: 'w1' });
    expect(store.getState().settingsChosen.wells).toEqual({ ...hidden, visible: true });
  });

  it('selecting in a visible layer leaves the settings as they are', () => {
    const store = createWorkbenchStore();
    const before = store.getState().settingsChosen;
    store.getState().selectAndShow({ layerId: 'pocket-parks', featureId: 'p1' });
    expect(store.getState().settingsChosen).toBe(before);
  });
});
