// features.js: the service tiles on the mobile home page (filled by later issues)
export const FEATURES = ['report', 'activity', 'wish', 'points'];
export const FEATURE_ICONS = { report: 'flag-o', activity: 'calendar-o', wish: 'gift-o', points: 'medal-o' };
