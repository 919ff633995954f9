// The hub's sign-in protocol (docs/HUB-API.md): what the app sends and what the hub answers.
// The hub derives its request validation and OpenAPI document from these schemas.
import { z } from 'zod';
import { countyAdcodeSchema } from '../../model/identifiers';

export const hubRoleSchema = z.enum(['admin', 'planner', 'surveyor']);
export type HubRole = z.infer<typeof hubRoleSchema>;

/** A user's counties: adcodes, or 'all' for the whole workspace. */
export const hubCountiesSchema = z.union([z.array(countyAdcodeSchema), z.literal('all')]);

export const hubUserNameSchema = z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'letters, digits and _ . @ - (1 to 64)');

export const signInRequestSchema = z.strictObject({
  user: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
  /** The app's installation id, kept with the token (shown when listing sessions). */
  device: z.string().min(1).max(200).optional(),
});
export type SignInRequest = z.infer<typeof signInRequestSchema>;

export const sessionUserSchema = z.strictObject({
  name: hubUserNameSchema,
  displayName: z.string().nullable(),
  role: hubRoleSchema,
  counties: hubCountiesSchema,
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

export const signInResponseSchema = z.strictObject({
  /** Send as `Authorization: Bearer <token>`. */
  token: z.string().min(1),
  expiresAt: z.iso.datetime({ offset: true }),
  user: sessionUserSchema,
});
export type SignInResponse = z.infer<typeof signInResponseSchema>;

export const whoAmIResponseSchema = z.strictObject({
  user: sessionUserSchema,
  expiresAt: z.iso.datetime({ offset: true }),
});
export type WhoAmIResponse = z.infer<typeof whoAmIResponseSchema>;

/** Every error answer: `code` is one of the codes listed in docs/HUB-API.md. */
export const hubErrorResponseSchema = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type HubErrorResponse = z.infer<typeof hubErrorResponseSchema>;
