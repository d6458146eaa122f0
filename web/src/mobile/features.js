// features.js: the home tiles, one set for members and one for residents; the open ones lead to their page, the others to 即将开放
export const MEMBER_FEATURES = ['report', 'tasks', 'campaign', 'activity', 'serve', 'records', 'wish', 'points', 'cases'];
export const RESIDENT_FEATURES = ['need', 'myneeds', 'mywish', 'vote', 'appeal', 'mycases', 'activity', 'help'];
export const FEATURE_ICONS = {
  report: 'flag-o', activity: 'calendar-o', serve: 'edit', records: 'todo-list-o', wish: 'gift-o', points: 'medal-o',
  mywish: 'gift-o', appeal: 'comment-o', help: 'friends-o', need: 'service-o', myneeds: 'orders-o', tasks: 'todo-list-o',
  campaign: 'wap-home-o', mycases: 'records-o', cases: 'warning-o', vote: 'passed',
};
// Services that are open, and where their tile leads; the others show 即将开放 (residents: all but 点单, 我的需求, 我的心愿 and 反映,
// since activities, records and the rest are a member's).
const MEMBER_LINKS = {
  report: '/report', tasks: '/tasks', activity: '/activities', serve: '/serve/new', records: '/records', points: '/points',
  wish: '/wishes', campaign: '/campaigns', cases: '/cases/new',
};
const RESIDENT_LINKS = { need: '/needs/new', myneeds: '/mine/needs', mywish: '/mine/wishes', vote: '/deliberations', appeal: '/cases/new',
  mycases: '/mine/cases' };
const linkOf = (f, member) => (member ? MEMBER_LINKS : RESIDENT_LINKS)[f];
export const featureLink = (f, member = true) => linkOf(f, member) || `/soon/${f}`;
export const featureOpen = (f, member = true) => !!linkOf(f, member);
