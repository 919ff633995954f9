import { z } from 'zod';

/** Every user-facing label exists in Chinese (the default UI language) and English. */
export const localizedTextSchema = z.strictObject({
  zh: z.string().min(1),
  en: z.string().min(1),
});
export type LocalizedText = z.infer<typeof localizedTextSchema>;
