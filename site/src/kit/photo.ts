/**
 * Photos made smaller on the phone before they are uploaded (issue 20): a phone camera hands over
 * 4–12 MB pictures of 4000 px and more, which a field visit with a weak signal cannot send; a long side
 * of about 1,600 px in JPEG (a few hundred KB) still shows a sign's text or a drum's label. Done once
 * here for every photo input of the product (the staff uploader, the firm's difficulties card).
 *
 * The picture is decoded by the browser (`createImageBitmap`, turned upright by its EXIF orientation),
 * drawn on a canvas at the smaller size over white (a PNG's transparency would turn black in JPEG) and
 * encoded as JPEG. HEIC is converted the same way where the browser can decode it (Safari); where it
 * cannot, or the file is not a picture at all, the file goes as it is and the server's rules apply as
 * before. A picture already small (long side within the bound and under `SMALL_BYTES`) is kept as it is,
 * as is one whose JPEG would not be smaller: a screenshot's PNG stays sharp.
 */

/** The long side, in pixels, a photo is brought down to. */
export const LONG_SIDE = 1600;
/** JPEG quality of a made-smaller photo. */
export const JPEG_QUALITY = 0.85;
/** A picture within the long side and under this size is not re-encoded. */
export const SMALL_BYTES = 1024 * 1024;

/** Types the browser may be able to decode into pixels. */
export const DECODABLE_TYPES = ['image/jpeg', 'image/png', 'image/heic', 'image/heif', 'image/webp'];

export interface Prepared {
  file: File;
  contentType: string;
  /** Whether the file is a new, smaller JPEG (false: the file chosen, unchanged). */
  shrunk: boolean;
}

/** `IMG_0001.HEIC` → `IMG_0001.jpg` (a name without an extension gets one). */
export const jpegName = (name: string): string => `${(name || 'photo').replace(/\.[A-Za-z0-9]{1,5}$/, '')}.jpg`;

/** The size a picture of `width` × `height` is drawn at: its long side at most `LONG_SIDE`. */
export const fitted = (width: number, height: number, longSide = LONG_SIDE): { width: number; height: number } => {
  const scale = Math.min(1, longSide / Math.max(width, height, 1));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
};

const decode = async (file: Blob): Promise<ImageBitmap | undefined> => {
  if (typeof createImageBitmap !== 'function') return undefined;
  try {
    return await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return undefined;
  }
};

const encode = async (bitmap: ImageBitmap, width: number, height: number): Promise<Blob | null> => {
  if (typeof OffscreenCanvas === 'function') {
    const canvas = new OffscreenCanvas(width, height);
    const g = canvas.getContext('2d');
    if (!g) return null;
    g.fillStyle = '#fff';
    g.fillRect(0, 0, width, height);
    g.drawImage(bitmap, 0, 0, width, height);
    return canvas.convertToBlob({ type: 'image/jpeg', quality: JPEG_QUALITY }).catch(() => null);
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d');
  if (!g) return null;
  g.fillStyle = '#fff';
  g.fillRect(0, 0, width, height);
  g.drawImage(bitmap, 0, 0, width, height);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', JPEG_QUALITY));
};

/**
 * The file to upload for a chosen one: a JPEG with a long side of at most `LONG_SIDE` when it is a
 * picture the browser can decode and making it smaller helps; otherwise the file itself. `keep`: the
 * user asked to keep the original. Never throws.
 */
export const preparePhoto = async (file: File, contentType: string, keep = false): Promise<Prepared> => {
  const same: Prepared = { file, contentType, shrunk: false };
  if (keep || !DECODABLE_TYPES.includes(contentType)) return same;
  const bitmap = await decode(file);
  if (!bitmap) return same;
  try {
    const { width, height } = fitted(bitmap.width, bitmap.height);
    const within = width === bitmap.width && height === bitmap.height;
    const drawable = contentType === 'image/jpeg' || contentType === 'image/png';
    if (within && drawable && file.size <= SMALL_BYTES) return same;
    const blob = await encode(bitmap, width, height);
    if (!blob || blob.size === 0) return same;
    // A picture within the bound whose JPEG is no smaller stays as it was (it is drawable already).
    if (within && drawable && blob.size >= file.size) return same;
    const made = new File([blob], jpegName(file.name), { type: 'image/jpeg', lastModified: file.lastModified });
    return { file: made, contentType: 'image/jpeg', shrunk: true };
  } catch {
    return same;
  } finally {
    bitmap.close();
  }
};
