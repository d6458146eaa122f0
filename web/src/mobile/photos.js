// photos.js (mobile): a photo from the camera made ready to send (checked, shrunk when too big, a preview) and sent with progress
import { ApiError, passUnauthorized, pending } from '../shared/api.js';
import { fieldMessage } from '../shared/errors.js';

// The server's limits (src/domain/photo.h): 5 MB, 40 megapixels; it keeps at most 2048 px on the longer side,
// so a copy shrunk to that side here loses nothing it would have kept.
export const PHOTO_BYTES_MAX = 5 * 1024 * 1024;
export const PHOTOS_MAX = 3;
const PIXELS_MAX = 40000000;
const KEPT_SIDE = 2048;
const PREVIEW_SIDE = 240;

// "7.3 MB", "850 KB"
export function sizeText(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

// What the first bytes say, as the server decides: 'jpeg', 'png' or ''.
async function sniff(file) {
  const b = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  return png.every((v, i) => b[i] === v) ? 'png' : '';
}

async function decode(file) {
  try {
    return await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return null;
  }
}

function draw(bitmap, side) {
  const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff'; // a transparent PNG becomes a photo on white, as the server does
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return canvas;
}

const toJpeg = (canvas) => new Promise((res) => { canvas.toBlob((b) => res(b), 'image/jpeg', 0.9); });

/*
 * One picked file, ready to send: { file, preview (a data: URL or ''), shrunk (the original's size, or 0),
 * error: '' or { key, size } for the words (mobile.photos.*) }. A JPEG or PNG within the limits goes as it is
 * (the server removes its metadata); a bigger one, or another kind the phone can open (HEIC, WebP), is
 * redrawn as a JPEG of 2048 px; what cannot be opened or stays too big is refused here, before any upload.
 */
export async function preparePhoto(file) {
  const kind = await sniff(file);
  const bitmap = await decode(file);
  const out = { file, preview: '', shrunk: 0, error: '' };
  try {
    if (bitmap) out.preview = draw(bitmap, PREVIEW_SIDE).toDataURL('image/jpeg', 0.8);
    const tooBig = file.size > PHOTO_BYTES_MAX || (bitmap && bitmap.width * bitmap.height > PIXELS_MAX);
    if (kind && !tooBig) return out;
    if (!bitmap) {
      out.error = kind ? { key: 'tooLarge', size: sizeText(file.size) } : { key: 'notImage' };
      return out;
    }
    const blob = await toJpeg(draw(bitmap, KEPT_SIDE));
    if (!blob || blob.size > PHOTO_BYTES_MAX) {
      out.error = { key: 'tooLarge', size: sizeText(file.size) };
      return out;
    }
    out.file = new File([blob], 'photo.jpg', { type: 'image/jpeg' });
    if (tooBig) out.shrunk = file.size;
    return out;
  } finally {
    bitmap?.close?.();
  }
}

// A refused upload in one short sentence: the server's words about the file, else its title.
export function photoFailure(err) {
  const onFile = (err?.errors || []).find((e) => e.field === 'file');
  return onFile ? fieldMessage(onFile) : err?.title || '';
}

/*
 * Sends one photo of record recordId (POST /records/{id}/photos, the image's bytes as the body) and calls
 * onProgress(0..1) as it goes; resolves with the stored photo, rejects with an ApiError. fetch() cannot
 * report an upload's progress, hence XMLHttpRequest (api.js has no upload with progress).
 */
export function uploadPhoto(recordId, file, onProgress) {
  return uploadTo(`/api/v1/records/${encodeURIComponent(recordId)}/photos`, file, onProgress);
}

// The same to any photo collection's URL (a need's or a wish's: /api/v1/needs/{id}/photos?stage=ask).
export function uploadTo(url, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('X-Requested-With', 'baodao');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress?.(e.loaded / e.total); };
    const done = (fn) => { pending.value--; fn(); };
    xhr.onload = () => done(() => {
      let json = null;
      try { json = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch { json = null; }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.(1);
        resolve(json);
      } else {
        const err = new ApiError(xhr.status, json && typeof json === 'object' ? json : null,
          { get: (h) => xhr.getResponseHeader(h) });
        passUnauthorized(err);
        reject(err);
      }
    });
    xhr.onerror = () => done(() => reject(new ApiError(0)));
    pending.value++;
    xhr.send(file);
  });
}
