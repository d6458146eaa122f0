// features.js: the home tiles, one set for members and one for residents; the open ones lead to their page, the others to 即将开放
export const MEMBER_FEATURES = ['report', 'activity', 'serve', 'records', 'wish', 'points'];
export const RESIDENT_FEATURES = ['mywish', 'appeal', 'activity', 'help'];
export const FEATURE_ICONS = {
  report: 'flag-o', activity: 'calendar-o', serve: 'edit', records: 'todo-list-o', wish: 'gift-o', points: 'medal-o',
  mywish: 'gift-o', appeal: 'comment-o', help: 'friends-o',
};
// Services that are open to members, and where their tile leads; the others show 即将开放 (residents: all of them,
// since activities, records and the rest are a member's).
const MEMBER_LINKS = { report: '/report', activity: '/activities', serve: '/serve/new', records: '/records', points: '/points', wish: '/wishes' };
export const featureLink = (f, member = true) => (member && MEMBER_LINKS[f]) || `/soon/${f}`;
export const featureOpen = (f, member = true) => !!(member && MEMBER_LINKS[f]);
