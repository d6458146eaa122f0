// i18n.js: creates the vue-i18n instance (zh-CN only) from the message files of one entry
import { createI18n } from 'vue-i18n';
import common from '../locales/zh-CN/common.js';

let instance = null;

// Merges the shared messages with the entry's own (top-level keys must not clash).
export function setupI18n(own = {}) {
  instance = createI18n({
    legacy: false,
    locale: 'zh-CN',
    fallbackLocale: 'zh-CN',
    messages: { 'zh-CN': { ...common, ...own } },
    missingWarn: false,
    fallbackWarn: false,
  });
  return instance;
}

// t() for code outside components (api.js, router guards, stores).
export function t(key, named) {
  if (!instance) return key;
  return named ? instance.global.t(key, named) : instance.global.t(key);
}

export function te(key) {
  return instance ? instance.global.te(key) : false;
}
