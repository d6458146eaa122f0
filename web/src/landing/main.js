// main.js (landing): the public page at / that says what baodao is and links to both entries
import { createApp } from 'vue';
import '../shared/base.css';
import { setupI18n } from '../shared/i18n.js';
import landing from '../locales/zh-CN/landing.js';
import LandingApp from './LandingApp.vue';

const i18n = setupI18n(landing);
document.title = i18n.global.t('landing.title');
createApp(LandingApp).use(i18n).mount('#app');
