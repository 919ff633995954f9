// The signed-in user of a request, and the one scope rule every route applies.
export interface HubUser {
  id: number;
  name: string;
  displayName: string | null;
  role: 'admin' | 'planner' | 'surveyor';
  counties: number[] | 'all';
}

/** A feature in `county` (null: outside every county — only users of the whole workspace) is in scope. */
export function inScope(user: HubUser, county: number | null): boolean {
  if (user.counties === 'all') return true;
  return county !== null && user.counties.includes(county);
}
