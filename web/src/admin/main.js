// main.js (console): the staff console at /admin/ (Element Plus, zh-CN)
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import '../shared/base.css';
import element from './element.js';
import './theme.css';
import { setupI18n } from '../shared/i18n.js';
import admin from '../locales/zh-CN/admin.js';
import { installSessionExpiry } from '../shared/session.js';
import { createConsoleRouter } from './router.js';
import App from './App.vue';

const i18n = setupI18n(admin);
const app = createApp(App);
const pinia = createPinia();
const router = createConsoleRouter();
app.use(pinia).use(i18n).use(element).use(router);

installSessionExpiry(router, pinia);

app.mount('#app');
