// errors.js: shows a failed API call to the person in Chinese (problem title, detail, field errors)
import { ElMessage } from 'element-plus';
import { t } from '../shared/i18n.js';

// labels: { field: 'label' } for problem errors that name a field.
export function showError(err, labels = {}) {
  if (!err || err.name === 'AbortError' || err.handled) return;
  const message = typeof err.describe === 'function' ? err.describe(labels) : t('errors.unknown');
  ElMessage({ type: 'error', message, grouping: true, showClose: true, duration: 6000 });
}

export function showSuccess(message) {
  ElMessage({ type: 'success', message, grouping: true });
}
