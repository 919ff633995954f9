import { useLayoutEffect, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

/** The row under the header that notices (restore done, store loss…) go to: the header stays one line. */
export const bannerSlotId = 'app-banners';

/** Shows `children` in the banner row under the header (inline where the row does not exist). */
export function Banner({ children }: { children: ReactNode }) {
  // Looked up after the commit, not during render: when the workspace opens, App mounts a new
  // header and banner row in the same commit as the banner, and the row found during render
  // would be the old one, about to be removed (the notice would vanish with it).
  const [slot, setSlot] = useState<HTMLElement | null | undefined>(undefined);
  // eslint-disable-next-line react-hooks/set-state-in-effect -- one DOM lookup after the commit, before paint
  useLayoutEffect(() => setSlot(document.getElementById(bannerSlotId)), []);
  if (slot === undefined) return null;
  return slot ? createPortal(children, slot) : children;
}
