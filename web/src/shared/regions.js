// regions.js: a region's level as people name it (a street-level 镇 or 乡 is not a 街道), for every page
import { t } from './i18n.js';

// node: { level, name }; only the level is needed for the levels below the street.
export function levelLabel(node) {
  const level = node?.level || '';
  if (level === 'street') {
    const name = String(node.name || '').trim();
    if (name.endsWith('镇')) return t('level.town');
    if (name.endsWith('乡')) return t('level.township');
  }
  return level ? t(`level.${level}`) : '';
}
