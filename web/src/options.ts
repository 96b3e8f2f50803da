// Choices shared by several forms.
export const platforms: Array<[string, string]> = [
  ['facebook', 'Facebook'],
  ['instagram', 'Instagram'],
  ['x', 'X (Twitter)'],
  ['linkedin', 'LinkedIn'],
  ['tiktok', 'TikTok'],
  ['youtube', 'YouTube'],
  ['snapchat', 'Snapchat'],
  ['whatsapp', 'WhatsApp'],
  ['blog', 'A blog'],
  ['forum', 'A forum'],
  ['gaming', 'A gaming platform'],
  ['other', 'Something else'],
];

// SHA-256 of a file in hex, where the browser offers it (a secure context:
// HTTPS or localhost); "" elsewhere.
export async function sha256Hex(data: ArrayBuffer): Promise<string> {
  if (!globalThis.crypto?.subtle) return '';
  const digest = await crypto.subtle.digest('SHA-256', data);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function base64Of(data: ArrayBuffer): string {
  const bytes = new Uint8Array(data);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

// A photo small enough to send with a draft (≤ 6 MiB): as it is when it
// fits (so the server reads its metadata, then stores it without), else
// redrawn as JPEG at most 1600 pixels wide until it fits.
export async function shrinkImage(file: File, limit = 6 * 1024 * 1024 - 4096): Promise<ArrayBuffer> {
  const original = await file.arrayBuffer();
  if (original.byteLength <= limit) return original;
  const bitmap = await createImageBitmap(file);
  let scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
  for (let i = 0; i < 6; i += 1) {
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob: Blob | null = await new Promise((r) => canvas.toBlob(r, 'image/jpeg', 0.85));
    if (blob && blob.size <= limit) return blob.arrayBuffer();
    scale *= 0.7;
  }
  throw new Error(`${file.name}: this picture is too large to send even when made smaller`);
}
