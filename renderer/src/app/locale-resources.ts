import type { UiLanguage } from '../../../shared/ipc/app-api';

/** One locale file: nested keys down to strings. */
export type LocaleTree = { [key: string]: string | LocaleTree };

export const uiLanguages: readonly UiLanguage[] = ['zh-CN', 'en'];

/**
 * Merges locale files into one tree per language. The app's own texts live in
 * `app/locales/<lang>.json`; each feature may keep its texts next to its code in
 * `features/<name>/locales/<lang>.json`. Two files defining the same key is an error
 * (the second would silently win otherwise).
 */
export function mergeLocaleFiles(files: Record<string, LocaleTree>): Record<UiLanguage, LocaleTree> {
  const merged = Object.fromEntries(uiLanguages.map((language) => [language, {}])) as Record<UiLanguage, LocaleTree>;
  for (const [path, tree] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    const language = /([A-Za-z-]+)\.json$/.exec(path)?.[1] as UiLanguage | undefined;
    if (!language || !uiLanguages.includes(language)) throw new Error(`Locale file ${path}: its name must be one of ${uiLanguages.join(', ')}.json`);
    mergeInto(merged[language], tree, path, '');
  }
  return merged;
}

function mergeInto(target: LocaleTree, source: LocaleTree, path: string, prefix: string): void {
  for (const [key, value] of Object.entries(source)) {
    const at = prefix ? `${prefix}.${key}` : key;
    const existing = target[key];
    if (typeof value === 'string') {
      if (existing !== undefined) throw new Error(`Locale file ${path}: key "${at}" is already defined by another locale file`);
      target[key] = value;
    } else {
      if (typeof existing === 'string') throw new Error(`Locale file ${path}: key "${at}" is a text in another locale file`);
      const branch: LocaleTree = existing ?? {};
      target[key] = branch;
      mergeInto(branch, value, path, at);
    }
  }
}

/** Every leaf key of a tree, dotted ("feature.save"). */
export function localeKeys(tree: LocaleTree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) => {
    const at = prefix ? `${prefix}.${key}` : key;
    return typeof value === 'string' ? [at] : localeKeys(value, at);
  });
}
