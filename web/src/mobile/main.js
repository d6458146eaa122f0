// main.js (mobile): the pages for members and residents at /m/ (Vant 4, for WeChat's browser)
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import '../shared/base.css';
import vant from './vant.js';
import './theme.css';
import '../shared/largeFont.js';
import { setupI18n } from '../shared/i18n.js';
import mobile from '../locales/zh-CN/mobile.js';
import { installSessionExpiry } from '../shared/session.js';
import { createMobileRouter } from './router.js';
import App from './App.vue';

const i18n = setupI18n(mobile);
const app = createApp(App);
const pinia = createPinia();
const router = createMobileRouter();
app.use(pinia).use(i18n).use(vant).use(router);

installSessionExpiry(router, pinia);

app.mount('#app');
