import { describe, expect, it } from 'vitest';
import { fitted, jpegName, LONG_SIDE } from '../../site/src/kit/photo.ts';

// The size and name of a photo made smaller on the phone (site/src/kit/photo.ts, issue 20).
describe('a photo made smaller', () => {
  it('brings the long side to 1600 px and keeps the proportions, upright or across', () => {
    expect(fitted(4000, 3000)).toEqual({ width: LONG_SIDE, height: 1200 });
    expect(fitted(3024, 4032)).toEqual({ width: 1200, height: LONG_SIDE });
  });

  it('never makes a small picture larger, nor a sliver of no pixels', () => {
    expect(fitted(800, 600)).toEqual({ width: 800, height: 600 });
    expect(fitted(100_000, 10)).toEqual({ width: LONG_SIDE, height: 1 });
    expect(fitted(0, 0)).toEqual({ width: 1, height: 1 });
  });

  it('names the JPEG after the file taken', () => {
    expect(jpegName('IMG_0001.HEIC')).toBe('IMG_0001.jpg');
    expect(jpegName('scan.final.png')).toBe('scan.final.jpg');
    expect(jpegName('照片')).toBe('照片.jpg');
    expect(jpegName('')).toBe('photo.jpg');
  });
});
