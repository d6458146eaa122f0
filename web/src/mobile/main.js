// main.js (mobile): the pages for members and residents at /m/ (Vant 4, for WeChat's browser)
import { createApp, watch } from 'vue';
import { createPinia } from 'pinia';
import '../shared/base.css';
import vant from './vant.js';
import './theme.css';
import { largeFontFromSession } from '../shared/largeFont.js';
import { setupI18n } from '../shared/i18n.js';
import mobile from '../locales/zh-CN/mobile.js';
import { installSessionExpiry, useSession } from '../shared/session.js';
import { createMobileRouter } from './router.js';
import App from './App.vue';

const i18n = setupI18n(mobile);
const app = createApp(App);
const pinia = createPinia();
const router = createMobileRouter();
app.use(pinia).use(i18n).use(vant).use(router);

installSessionExpiry(router, pinia);
// A resident whose staff set large font for them starts in it, until they choose on this phone.
const session = useSession(pinia);
watch(() => session.me, largeFontFromSession);

app.mount('#app');
