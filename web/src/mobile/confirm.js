// confirm.js (mobile): "are you sure?" before a step that cannot be taken back; titled, so a screen reader names it
import { showConfirmDialog } from 'vant';
import { t } from '../shared/i18n.js';

// Resolves true when the person confirms. yes: the confirming button's words (also the dialog's title).
export async function confirmStep(message, yes, no = t('action.cancel')) {
  try {
    await showConfirmDialog({ title: yes, message, confirmButtonText: yes, cancelButtonText: no, confirmButtonColor: '#b5121b' });
    return true;
  } catch {
    return false;
  }
}
