/**
 * The firm representative's signature on the screen (issue 20): a canvas drawn on with pointer events
 * (a finger on a tablet or phone, a stylus, a mouse), with a clear button. The drawing is kept at the
 * canvas's own resolution whatever size CSS gives it, on white, and handed over as a PNG. `touch-action:
 * none` (checkup.css) keeps a finger's stroke from scrolling the page.
 */

export interface SignaturePad {
  /** Whether anything is drawn since the last clear. */
  isDrawn: () => boolean;
  /** Grows with every stroke and clear: an upload of an older drawing is not this one. */
  changes: () => number;
  /** The drawing as a PNG. */
  png: () => Promise<Blob | null>;
}

export const signaturePad = (canvas: HTMLCanvasElement, clear: HTMLButtonElement): SignaturePad => {
  const context = canvas.getContext('2d');
  let drawn = false;
  let changes = 0;
  let active: number | undefined;
  let last: { x: number; y: number } | undefined;

  const blank = () => {
    if (!context) return;
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.fillStyle = '#111111';
    context.strokeStyle = '#111111';
    context.lineWidth = 3;
    context.lineCap = 'round';
    context.lineJoin = 'round';
  };
  blank();

  /** The pointer's place in the canvas's own pixels (CSS may show it smaller or larger). */
  const at = (event: PointerEvent) => {
    const box = canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - box.left) * canvas.width) / (box.width || 1),
      y: ((event.clientY - box.top) * canvas.height) / (box.height || 1),
    };
  };

  canvas.addEventListener('pointerdown', (event) => {
    if (!context || (event.pointerType === 'mouse' && event.button !== 0)) return;
    event.preventDefault();
    active = event.pointerId;
    canvas.setPointerCapture?.(event.pointerId);
    last = at(event);
    // A tap leaves a dot: part of a signature too (the dot of an i, a full stop).
    context.beginPath();
    context.arc(last.x, last.y, 1.5, 0, 2 * Math.PI);
    context.fill();
    drawn = true;
    changes++;
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!context || event.pointerId !== active || !last) return;
    event.preventDefault();
    const next = at(event);
    context.beginPath();
    context.moveTo(last.x, last.y);
    context.lineTo(next.x, next.y);
    context.stroke();
    last = next;
    changes++;
  });
  const end = (event: PointerEvent) => {
    if (event.pointerId !== active) return;
    active = undefined;
    last = undefined;
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  clear.addEventListener('click', () => {
    blank();
    drawn = false;
    changes++;
  });

  return {
    isDrawn: () => drawn,
    changes: () => changes,
    png: () => new Promise((resolve) => canvas.toBlob((blob) => resolve(blob), 'image/png')),
  };
};
