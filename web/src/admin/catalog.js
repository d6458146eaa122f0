// catalog.js (console): the service catalogue's categories and what an item's extra fields ask for, in words
import { serveLabel } from '../shared/serving.js';

export const CATEGORIES = ['welfare', 'post', 'activity', 'affairs'];
export const FIELD_TYPES = ['text', 'number', 'date', 'choice', 'choices'];

// One extra field in a few words: "送餐份数（数字，必填）", "咨询类别（多选：婚姻家庭/劳动纠纷）".
export function fieldSummary(t, f) {
  const kind = serveLabel('fieldType', f.type);
  const choices = f.choices?.length ? `：${f.choices.join('/')}` : '';
  return `${f.name}（${kind}${choices}${f.required ? t('catalog.requiredMark') : ''}）`;
}
