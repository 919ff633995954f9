// The app's one value formatter (shared/model/format-value.ts) with the UI language and the
// basemap's county names filled in: components show values through useValueFormat().
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { useLanguage } from '../lib/language';
import {
  featureCodeOf,
  featureNameOf,
  formatFeatureValue,
  formatFieldValue,
  formatTimestamp,
  type Feature,
  type FieldDefinition,
  type LayerDefinition,
  type ValueFormatOptions,
} from '../../../shared/model';

type CountyName = (adcode: number) => string | undefined;
const CountyNameContext = createContext<CountyName | undefined>(undefined);

export function ValueFormatProvider({ countyName, children }: { countyName: CountyName; children: ReactNode }) {
  return <CountyNameContext.Provider value={countyName}>{children}</CountyNameContext.Provider>;
}

export interface ValueFormat {
  options: ValueFormatOptions;
  /** A value of a layer field. */
  field(field: FieldDefinition | undefined, value: unknown): string;
  /** A feature member by name: `status`, `county`, `demo`, `createdAt`, `updatedAt`, `revision`, `properties.<key>`. */
  member(layer: LayerDefinition | undefined, member: string, value: unknown): string;
  /** An ISO timestamp as a local date-time. */
  timestamp(value: string): string;
  /** A feature's readable code (never its UUID when it has a code). */
  code(layer: LayerDefinition | undefined, feature: Pick<Feature, 'id' | 'properties'>): string;
  /** A feature's name: its display field, else its code. */
  name(layer: LayerDefinition | undefined, feature: Pick<Feature, 'id' | 'properties'>): string;
}

export function useValueFormat(): ValueFormat {
  const language = useLanguage();
  const countyName = useContext(CountyNameContext);
  return useMemo(() => {
    const options: ValueFormatOptions = { language, ...(countyName === undefined ? {} : { countyName }) };
    return {
      options,
      field: (field, value) => formatFieldValue(field, value, options),
      member: (layer, member, value) => formatFeatureValue(layer, member, value, options),
      timestamp: (value) => formatTimestamp(value, options),
      code: featureCodeOf,
      name: featureNameOf,
    };
  }, [language, countyName]);
}
