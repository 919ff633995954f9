// The signed-in user of a request (`request.hubUser`) and the one scope rule.
export interface HubUser {
  id: number;
  name: string;
  displayName: string | null;
  role: 'admin' | 'planner' | 'surveyor';
  counties: number[] | 'all';
}

/** Whether the user may read and write features of the county (null: outside every county, 'all' users only). */
export function inScope(user: HubUser, county: number | null): boolean {
  if (user.counties === 'all') return true;
  return county !== null && user.counties.includes(county);
}
