// errors.js (console): Element Plus messages for a failed call (words from shared/errors.js) or a success
import { ElMessage } from 'element-plus';
import { errorText } from '../shared/errors.js';

export function showFailure(message) {
  if (message) ElMessage({ type: 'error', message, grouping: true, showClose: true, duration: 6000 });
}

// labels: { field: 'label' } for problem errors that name a field.
export function showError(err, labels = {}) {
  showFailure(errorText(err, labels));
}

export function showSuccess(message) {
  ElMessage({ type: 'success', message, grouping: true });
}
