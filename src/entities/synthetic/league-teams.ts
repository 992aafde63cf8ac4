/** A team of a synthetic league. */
export interface SyntheticTeam {
  /** `S01`, `S02`, …: cannot collide with a real league's 2–3 letter codes. */
  readonly code: string;
  readonly name: string;
  readonly conference: string;
  readonly division: string;
}

// Made-up places and nicknames: a synthetic team must never be mistaken for a real one.
const CITIES = [
  'Ashford', 'Bramwell', 'Calder Bay', 'Dunmore', 'Eastwick', 'Fairhaven', 'Glenrock', 'Harlow',
  'Ironvale', 'Juniper Falls', 'Kestrel Point', 'Lakemont', 'Millbrook', 'Northgate', 'Oakridge', 'Pinecrest',
  'Queensport', 'Redcliff', 'Stonebridge', 'Thornbury', 'Upton', 'Valemount', 'Westfield', 'Yarrow',
  'Zephyr City', 'Amberly', 'Blackwater', 'Cedar Hollow', 'Driftwood', 'Emberton', 'Foxley Flats', 'Granite Springs',
];
const NICKNAMES = [
  'Comets', 'Ironclads', 'Foxes', 'Thunder', 'Mariners', 'Stallions', 'Wolves', 'Rangers',
  'Herons', 'Pioneers', 'Lynx', 'Anchors', 'Falcons', 'Miners', 'Owls', 'Bison',
  'Tritons', 'Hornets', 'Voyagers', 'Badgers', 'Cyclones', 'Sentinels', 'Otters', 'Knights',
  'Gales', 'Moorhawks', 'Marauders', 'Kodiaks', 'Lanterns', 'Phantoms', 'Tigersharks', 'Outlaws',
];
const CONFERENCES = ['AFC', 'NFC'] as const;
const DIVISIONS = ['East', 'North', 'South', 'West', 'Central', 'Coastal', 'Mountain', 'Plains'] as const;
const TEAMS_PER_DIVISION = 4;

/** The code of the team at 0-based `index`: `S01` … `S64`. */
export function syntheticTeamCode(index: number): string {
  return `S${String(index + 1).padStart(2, '0')}`;
}

/**
 * `count` teams (2…64): codes `S01`…, made-up names (unique), the first half in the AFC and
 * the rest in the NFC, divisions of four within each conference (NFL-like at 32 teams).
 */
export function syntheticTeams(count: number): SyntheticTeam[] {
  const perConference = Math.ceil(count / 2);
  return Array.from({ length: count }, (_, i) => {
    const conferenceIndex = i < perConference ? 0 : 1;
    const withinConference = i - conferenceIndex * perConference;
    const conference = CONFERENCES[conferenceIndex]!;
    // 7 is coprime with 32: city and nickname pairings look unrelated; past 32, a suffix keeps names unique.
    const name = `${CITIES[i % CITIES.length]} ${NICKNAMES[(i * 7) % NICKNAMES.length]}${i >= CITIES.length ? ' II' : ''}`;
    return {
      code: syntheticTeamCode(i),
      name,
      conference,
      division: `${conference} ${DIVISIONS[Math.floor(withinConference / TEAMS_PER_DIVISION) % DIVISIONS.length]}`,
    };
  });
}
