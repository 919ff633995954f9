/**
 * The desktop shell's origin: the renderer is served from the privileged `app://onemap` scheme
 * (electron/main/app-origin.ts). The team hub allows exactly this origin to call its API
 * (CORS), besides its own (the web shell it serves).
 */
export const desktopAppScheme = 'app';
export const desktopAppHost = 'onemap';
/** Written out because Node's URL gives `origin: "null"` for custom schemes. */
export const desktopAppOrigin = `${desktopAppScheme}://${desktopAppHost}`;
