import type { ReactNode } from 'react';
import { createPortal } from 'react-dom';

/** The row under the header that notices (restore done, store loss…) go to: the header stays one line. */
export const bannerSlotId = 'app-banners';

/** Shows `children` in the banner row under the header (inline where the row does not exist). */
export function Banner({ children }: { children: ReactNode }) {
  // The row is rendered by App from its first render on; banners appear only after the workspace opened.
  const slot = document.getElementById(bannerSlotId);
  return slot ? createPortal(children, slot) : children;
}
