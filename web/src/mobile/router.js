// router.js (mobile): routes under /m/ and the login guard
import { createRouter, createWebHistory } from 'vue-router';
import { useSession } from '../shared/session.js';
import { t } from '../shared/i18n.js';
import TabLayout from './layouts/TabLayout.vue';
import HomeView from './views/HomeView.vue';

const routes = [
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
  { path: '/signup', name: 'signup', component: () => import('./views/SignupView.vue'), meta: { public: true, title: 'mobile.signup.title' } },
  { path: '/password/first', name: 'first-password', component: () => import('./views/PasswordView.vue'), props: { first: true }, meta: { title: 'mobile.firstPassword.title' } },
  {
    path: '/',
    component: TabLayout,
    children: [
      { path: '', name: 'home', component: HomeView, meta: { title: 'mobile.tabs.home' } },
      { path: 'mine', name: 'mine', component: () => import('./views/MineView.vue'), meta: { title: 'mobile.mine.title' } },
      { path: 'messages', name: 'messages', component: () => import('./views/MessagesView.vue'), meta: { title: 'notify.title' } }, // 消息
    ],
  },
  { path: '/messages/prefs', name: 'notify-prefs', component: () => import('./views/NotifyPrefsView.vue'), meta: { title: 'notify.prefs' } },
  { path: '/mine/password', name: 'password', component: () => import('./views/PasswordView.vue'), meta: { title: 'mobile.mine.password' } },
  { path: '/report', name: 'report', component: () => import('./views/MyReportView.vue'), meta: { title: 'mobile.status.title' } },
  { path: '/report/new', name: 'report-new', component: () => import('./views/ReportFormView.vue'), meta: { title: 'mobile.report.title' } },
  { path: '/mine/posts', name: 'my-posts', component: () => import('./views/MyPostsView.vue'), meta: { title: 'mobile.posts.title' } },
  { path: '/mine/teams', name: 'my-teams', component: () => import('./views/MyTeamsView.vue'), meta: { title: 'mobile.teams.title' } },
  { path: '/mine/pairings', name: 'my-pairings', component: () => import('./views/MyPairingsView.vue'), meta: { title: 'mobile.pairings.title' } }, // 我的结对
  { path: '/teams/:id(\\d+)', name: 'team', component: () => import('./views/TeamView.vue'), meta: { title: 'mobile.teams.page' } },
  { path: '/mine/file', name: 'my-file', component: () => import('./views/MyFileView.vue'), meta: { title: 'mobile.file.title' } },
  { path: '/serve/new', name: 'serve', component: () => import('./views/ServeFormView.vue'), meta: { title: 'mobile.serve.title' } },
  { path: '/records', name: 'records', component: () => import('./views/MyRecordsView.vue'), meta: { title: 'mobile.records.title' } },
  { path: '/records/:id(\\d+)', name: 'record', component: () => import('./views/RecordView.vue'), meta: { title: 'mobile.record.title' } },
  { path: '/activities', name: 'activities', component: () => import('./views/ActivitiesView.vue'), meta: { title: 'mobile.activity.title' } },
  // The share link of the WeChat group: open to anyone; 我要报名 asks to log in, then comes back here.
  { path: '/activities/:id(\\d+)', name: 'activity', component: () => import('./views/ActivityView.vue'), meta: { public: true, title: 'mobile.activity.detail' } },
  // Where the QR code of an activity leads (its link: docs/api.md, GET /activities/{id}/checkin-code): login first, then back.
  { path: '/activities/:id(\\d+)/checkin', name: 'checkin', component: () => import('./views/CheckinView.vue'), meta: { title: 'mobile.checkin.title' } },
  // earning: pages (w10-pages)
  { path: '/points', name: 'points', component: () => import('./views/MyPointsView.vue'), meta: { title: 'myPoints.title' } },
  { path: '/soon/points', redirect: '/points' },
  // end of earning: pages
  { path: '/mine/certificates', name: 'my-certificates', component: () => import('./views/MyCertificatesView.vue'), meta: { title: 'mobile.certificates.title' } },
  // Where a printed certificate's QR code leads: anyone checks it, without logging in.
  { path: '/verify/certificates/:code', name: 'verify-certificate', component: () => import('./views/PublicCertificateView.vue'), meta: { public: true, title: 'mobile.verify.title' } },
  // 积分公示: the public page of a publication (the poster's QR code leads here), open to anyone; a listed member objects.
  { path: '/public/publications/:id(\\d+)', name: 'public-publication', component: () => import('./views/PublicPublicationView.vue'), meta: { public: true, title: 'publication.title' } },
  // earning: the time bank and the rewards shelf (爱心超市)
  { path: '/shelf', name: 'shelf', component: () => import('./views/ShelfView.vue'), meta: { title: 'shelf.title' } },
  { path: '/mine/redemptions', name: 'my-redemptions', component: () => import('./views/MyRedemptionsView.vue'), meta: { title: 'shelf.mine.title' } },
  { path: '/timebank', name: 'timebank', component: () => import('./views/GiveHoursView.vue'), meta: { title: 'shelf.give.title' } },
  // end of the time bank
  // wish pages: 微心愿: the member's wall (揽梦, 圆梦), and a community's public wall to share (no login)
  { path: '/wishes', name: 'wishes', component: () => import('./views/WishWallView.vue'), meta: { title: 'wish.title' } },
  { path: '/wishes/wall/:code', name: 'wish-wall', component: () => import('./views/PublicWishWallView.vue'), meta: { public: true, title: 'wish.publicTitle' } },
  { path: '/soon/wish', redirect: '/wishes' },
  { path: '/mine/wishes', name: 'my-wishes', component: () => import('./views/MyWishesView.vue'), meta: { title: 'wish.mineTitle' } },
  // end of wish pages
  // 需求清单: a resident's 点单 and 我的需求, a need's page (resident and member), a member's 我的任务
  { path: '/needs/new', name: 'need-new', component: () => import('./views/NeedFormView.vue'), meta: { title: 'need.form.title' } },
  { path: '/mine/needs', name: 'my-needs', component: () => import('./views/MyNeedsView.vue'), meta: { title: 'need.mine.title' } },
  { path: '/needs/:id(\\d+)', name: 'need', component: () => import('./views/NeedView.vue'), meta: { title: 'need.page.title' } },
  { path: '/cases/new', name: 'case-new', component: () => import('./views/CaseFormView.vue'), meta: { title: 'kase.form.title' } },
  { path: '/mine/cases', name: 'my-cases', component: () => import('./views/MyCasesView.vue'), meta: { title: 'kase.mine.title' } },
  { path: '/cases/:id(\\d+)', name: 'case', component: () => import('./views/CaseView.vue'), meta: { title: 'kase.page.title' } },
  { path: '/public/communities/:code/cases', name: 'public-cases', component: () => import('./views/PublicCasesView.vue'), meta: { public: true, title: 'kase.public.title' } },
  { path: '/tasks', name: 'tasks', component: () => import('./views/TasksView.vue'), meta: { title: 'need.tasks.title' } },
  // end of 需求清单
  // campaigns (入户走访): the buildings I walk, and the walk door by door
  { path: '/campaigns', name: 'my-campaigns', component: () => import('./views/MyCampaignsView.vue'), meta: { title: 'campaign.mineTitle' } },
  { path: '/campaigns/:stretchId(\\d+)', name: 'campaign-walk', component: () => import('./views/CampaignWalkView.vue'), meta: { title: 'campaign.walkTitle' } },
  // residents' deliberations (居民议事): 议事表决, the resident's household's vote
  { path: '/deliberations', name: 'my-deliberations', component: () => import('./views/MyDeliberationsView.vue'), meta: { title: 'deliberationMobile.title' } },
  // duty rosters (值守/值班): 我的值班
  { path: '/mine/shifts', name: 'my-shifts', component: () => import('./views/MyShiftsView.vue'), meta: { title: 'dutyMobile.title' } },
  // Where a duty shift's QR code leads (GET /duty-shifts/{id}/code): login first, then back; one tap checks in.
  { path: '/shifts/checkin', name: 'shift-checkin', component: () => import('./views/ShiftCheckinView.vue'), meta: { title: 'dutyMobile.checkin.title' } },
  { path: '/soon/report', redirect: '/report' },
  { path: '/soon/:feature(activity|wish|mywish|appeal|help)', name: 'soon', component: () => import('./views/SoonView.vue') },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue'), meta: { public: true, title: 'mobile.notFound.title' } },
];

export function createMobileRouter() {
  const router = createRouter({
    history: createWebHistory('/m/'),
    routes,
    scrollBehavior: (to, from, saved) => saved || { top: 0 },
  });

  router.beforeEach(async (to) => {
    if (to.meta.public) return true;
    const session = useSession();
    if (!session.checked || !session.me) {
      try {
        await session.load();
      } catch {
        // The server cannot be reached: the login page says so and offers a retry.
        return { name: 'login', query: { redirect: to.fullPath, offline: '1' } };
      }
    }
    if (!session.me) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    // Logged in with a one-time code: the new password first, then the page that was asked for.
    if (session.me.must_change_password) {
      return to.name === 'first-password' ? true
        : { name: 'first-password', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    }
    if (to.name === 'first-password') return { name: 'home' };
    return true;
  });

  router.afterEach((to) => {
    let title = to.meta.title ? t(to.meta.title) : '';
    if (to.name === 'soon') title = t(`mobile.features.${to.params.feature}.name`);
    document.title = title ? `${title} · ${t('mobile.title')}` : t('mobile.title');
  });

  router.onError((err, to) => {
    if (/dynamically imported module|Importing a module script failed/i.test(String(err?.message))) {
      window.location.assign(`/m${to.fullPath}`);
    }
  });
  return router;
}
