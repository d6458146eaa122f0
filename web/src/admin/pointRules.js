// pointRules.js (console): a point rule's terms as the editor and its tables group them, and the body POST /rules takes
// The catalogue's four categories, in its order: each has points a service and points an hour.
export const CATEGORIES = ['welfare', 'post', 'activity', 'affairs'];
export const CAPS = ['cap_record', 'cap_day'];
export const BONUSES = ['bonus_wish', 'bonus_post', 'bonus_lead'];
// The half-year tiers above 未达标, lowest first: each asks points and a number of services.
export const RULE_TIERS = ['qualified', 'excellent', 'pioneer'];
export const STARS = [5, 4, 3, 2, 1];
// The server's limits (src/domain/rule.h RULE_VALUE_MAX, RULE_NOTE_MAX).
export const VALUE_MAX = 10000;
export const NOTE_MAX = 200;

// Every number a version holds, in the order the editor shows them.
export const NUMBER_FIELDS = [
  ...CATEGORIES.flatMap((c) => [`${c}_per_service`, `${c}_per_hour`]),
  ...CAPS, ...BONUSES,
  ...RULE_TIERS.flatMap((tier) => [`${tier}_points`, `${tier}_services`]),
  'year_min_services', 'quiet_days',
  ...STARS.map((k) => `star${k}`),
];
// Going quiet: the server's bounds (RULE_QUIET_MIN, RULE_QUIET_MAX).
export const QUIET_MIN = 14;
export const QUIET_MAX = 730;
// The fields of the editor, where the server's field errors are shown (one on region_code goes above the form).
export const RULE_FIELDS = ['effective_on', 'note', 'star_mode', ...NUMBER_FIELDS];

// The form of a new version, prefilled from the terms in force and starting on day.
export function formFromTerms(terms, day) {
  const form = { effective_on: day, note: '', star_mode: terms?.star_mode === 'thresholds' ? 'thresholds' : 'shares' };
  for (const f of NUMBER_FIELDS) form[f] = Number.isInteger(terms?.[f]) ? terms[f] : 0;
  return form;
}

// The body of POST /rules (and /rules/preview) for the form, at region ('' or null: the default).
export function ruleBody(form, region) {
  const body = { region_code: region || '', effective_on: form.effective_on || '', star_mode: form.star_mode };
  const note = String(form.note || '').trim();
  if (note) body.note = note;
  for (const f of NUMBER_FIELDS) body[f] = form[f];
  return body;
}

// The day after day ('2026-12-31' → '2027-01-01'), in the calendar (no time zone involved).
export function dayAfter(day) {
  const [y, m, d] = String(day).split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

// How each version of a level stands on today (versions newest first, as the server lists them): 'current' for the one
// in force at the region asked, 'future' before its day, 'level' for the one in force at its own level that a lower
// level's version overrides here, 'past' for one replaced by a newer one.
export function versionStates(versions, inForceId, today) {
  let seen = false; // a version of this level already in force
  return (versions || []).map((v) => {
    if (v.effective_on > today) return 'future';
    const first = !seen;
    seen = true;
    if (v.id === inForceId) return 'current';
    return first ? 'level' : 'past';
  });
}
