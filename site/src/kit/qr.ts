/**
 * QR codes drawn in the browser (issue 20): a published day's share QR in the console and a booking's
 * check-in QR on its confirmation page. Pages load this module with a dynamic `import()` when they
 * draw one, so the encoder (uqr, about 4 KB gzip) never counts against a page that shows none.
 */
import { encode, renderSVG } from 'uqr';

/**
 * Medium error correction: survives a smudged print or a cracked phone screen, still small; the
 * standard's quiet zone of 4 modules, so a scanner finds the code on a busy notice board.
 */
const OPTIONS = { ecc: 'M', border: 4 } as const;

/** The QR of `text` as an `<svg>` element (scales to its box; `data-qr-text` says what it encodes). */
export const qrSvgElement = (text: string, label: string): SVGSVGElement => {
  const parsed = new DOMParser().parseFromString(qrSvgText(text), 'image/svg+xml');
  const svg = document.importNode(parsed.documentElement, true) as unknown as SVGSVGElement;
  svg.removeAttribute('width');
  svg.removeAttribute('height');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.dataset.qrText = text;
  return svg;
};

/** The QR of `text` as SVG markup (for a download). */
export const qrSvgText = (text: string): string => renderSVG(text, { ...OPTIONS, pixelSize: 10 });

/** The QR of `text` as a PNG, `scale` pixels a module (for a download or a print). */
export const qrPng = (text: string, scale = 12): Promise<Blob | null> => {
  const { data, size } = encode(text, OPTIONS);
  const canvas = document.createElement('canvas');
  canvas.width = size * scale;
  canvas.height = size * scale;
  const pen = canvas.getContext('2d');
  if (!pen) return Promise.resolve(null);
  pen.fillStyle = '#fff';
  pen.fillRect(0, 0, canvas.width, canvas.height);
  pen.fillStyle = '#000';
  data.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) pen.fillRect(x * scale, y * scale, scale, scale);
    });
  });
  return new Promise((done) => canvas.toBlob(done, 'image/png'));
};
