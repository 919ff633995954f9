// The map's style setters that leave an unchanged filter or layout alone (renderer/src/map/style-changes.ts):
// MapLibre reloads a source's tiles on every setFilter and on a layout value written anew.
import { describe, expect, it } from 'vitest';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { setFilterIfChanged, setTextIgnorePlacementIfChanged, setVisibilityIfChanged } from '../../../renderer/src/map/style-changes';

/** A layer's filter and layout as MapLibre keeps them, and the calls that would reload its source. */
function fakeMap(initial: { filter?: unknown; layout?: Record<string, unknown> } = {}) {
  let filter = initial.filter;
  const layout: Record<string, unknown> = { ...initial.layout };
  const calls: string[] = [];
  const map = {
    getFilter: () => (filter === undefined ? undefined : structuredClone(filter)),
    setFilter(_id: string, next: unknown) {
      calls.push('setFilter');
      filter = next;
    },
    getLayoutProperty: (_id: string, name: string) => layout[name],
    setLayoutProperty(_id: string, name: string, value: unknown) {
      calls.push(`setLayoutProperty ${name}`);
      layout[name] = value;
    },
  };
  return { map: map as unknown as MapLibreMap, calls };
}

describe('style setters that change only what differs', () => {
  it('sets a filter once, not again when it is equal', () => {
    const { map, calls } = fakeMap();
    const filter = ['all', ['in', ['get', 'status'], ['literal', ['sealed', 'planned']]]] as never;
    setFilterIfChanged(map, 'wells', filter);
    setFilterIfChanged(map, 'wells', structuredClone(filter));
    expect(calls).toEqual(['setFilter']);
    setFilterIfChanged(map, 'wells', ['all'] as never);
    expect(calls).toEqual(['setFilter', 'setFilter']);
  });

  it('reads an unset visibility as visible', () => {
    const { map, calls } = fakeMap();
    setVisibilityIfChanged(map, 'counties', 'visible');
    expect(calls).toEqual([]);
    setVisibilityIfChanged(map, 'counties', 'none');
    setVisibilityIfChanged(map, 'counties', 'none');
    expect(calls).toEqual(['setLayoutProperty visibility']);
  });

  it('reads an unset text-ignore-placement as false', () => {
    const { map, calls } = fakeMap();
    setTextIgnorePlacementIfChanged(map, 'county-labels', false);
    expect(calls).toEqual([]);
    setTextIgnorePlacementIfChanged(map, 'county-labels', true);
    expect(calls).toEqual(['setLayoutProperty text-ignore-placement']);
    const set = fakeMap({ layout: { 'text-ignore-placement': true } });
    setTextIgnorePlacementIfChanged(set.map, 'county-labels', true);
    expect(set.calls).toEqual([]);
  });
});
