// toast.js (mobile): a Vant toast for a failed call (words from shared/errors.js)
import { showFailToast } from 'vant';
import { errorText } from '../shared/errors.js';

export function toastFailure(message) {
  if (message) showFailToast({ message, duration: 4000 });
}

export function toastError(err) {
  toastFailure(errorText(err));
}
