// photoQueue.js (mobile): the photos a member picks for a service record, checked when picked and sent one by one
import { computed, reactive, ref } from 'vue';
import { t } from '../shared/i18n.js';
import { PHOTOS_MAX, photoFailure, preparePhoto, sizeText, uploadPhoto, uploadTo } from './photos.js';

let seq = 0;

// kept: how many photos the record has already (a ref or a number); max: how many it may have; urlOf(id): where
// a photo of owner id goes (default: the record's photos, POST /records/{id}/photos). Items: { key, preview, file, state
// ('ready' | 'uploading' | 'done' | 'failed'), progress (0..100), message, note }.
export function usePhotoQueue(kept = 0, { max = PHOTOS_MAX, urlOf = null } = {}) {
  const items = reactive([]);
  const refusal = ref(''); // why the last picked photo was not taken, until the next pick
  const preparing = ref(false);
  const keptCount = () => Number(typeof kept === 'object' ? kept.value : kept) || 0;
  const room = computed(() => Math.max(0, max - keptCount() - items.length));

  async function add(fileList) {
    refusal.value = '';
    const files = Array.from(fileList || []);
    preparing.value = true;
    try {
      for (const f of files) {
        if (!room.value) { refusal.value = t('mobile.photos.full', { n: max }); break; }
        const p = await preparePhoto(f);
        if (p.error) { refusal.value = t(`mobile.photos.${p.error.key}`, { size: p.error.size }); continue; }
        items.push({
          key: ++seq, preview: p.preview, file: p.file, state: 'ready', progress: 0, message: '',
          note: p.shrunk ? t('mobile.photos.shrunk', { size: sizeText(p.shrunk) }) : '',
        });
      }
    } finally {
      preparing.value = false;
    }
  }

  function remove(item) {
    const i = items.indexOf(item);
    if (i >= 0) items.splice(i, 1);
  }

  async function sendOne(recordId, item) {
    item.state = 'uploading';
    item.progress = 0;
    item.message = '';
    try {
      const progress = (f) => { item.progress = Math.round(f * 100); };
      await (urlOf ? uploadTo(urlOf(recordId), item.file, progress) : uploadPhoto(recordId, item.file, progress));
      item.state = 'done';
      return true;
    } catch (e) {
      item.state = 'failed';
      item.message = photoFailure(e) || t('mobile.photos.failed');
      return false;
    }
  }

  // Sends what is not sent yet, one at a time (the server decodes one photo at a time); true when all are in.
  async function send(recordId) {
    let ok = true;
    for (const item of items) {
      if (item.state !== 'done' && !(await sendOne(recordId, item))) ok = false;
    }
    return ok;
  }

  // reactive(): the refs read as values in templates and through props (queue.room, queue.refusal).
  return reactive({ items, refusal, preparing, room, max, add, remove, send, sendOne });
}
