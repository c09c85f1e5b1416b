import { describe, expect, it } from 'vitest';
import { lazy, loadOnTurn, warmOn } from '../../site/src/kit/lazy.ts';

// A page loads a form's schema or a section's behaviour when the user turns to it. At a firm's gate
// the first load can fail (no signal): the next turn must try again, and once one load has worked no
// turn loads again.

/** Lets the loads started by an event settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A module whose first `failures` loads fail, counting every load. */
const flaky = (failures: number) => {
  const counts = { loads: 0 };
  const module = lazy(async () => {
    counts.loads++;
    if (counts.loads <= failures) throw new TypeError('Failed to fetch dynamically imported module');
    return { schema: 'ledger' };
  });
  return { module, counts };
};

describe('loading on the user turning to an area', () => {
  it('tries a failed load again on the next turn, and stops once one has worked', async () => {
    // Prepare
    const form = new EventTarget();
    const { module, counts } = flaky(1);
    warmOn(form, module);

    // Act: the first turn fails (offline)
    form.dispatchEvent(new Event('focusin'));
    await settle();

    // Assess
    expect(counts.loads).toBe(1);
    expect(module.now).toBeUndefined();

    // Act: the signal is back; the user turns to the form again, the same way
    form.dispatchEvent(new Event('focusin'));
    await settle();

    // Assess
    expect(counts.loads).toBe(2);
    expect(module.now).toEqual({ schema: 'ledger' });

    // Act: more turns after it has loaded
    for (const turn of ['focusin', 'pointerover', 'touchstart']) form.dispatchEvent(new Event(turn));
    await settle();

    // Assess: no load after the one that worked
    expect(counts.loads).toBe(2);
  });

  it('does not load before the user turns to the area, nor on other events', async () => {
    const area = new EventTarget();
    let loads = 0;
    loadOnTurn(area, async () => {
      loads++;
    });

    area.dispatchEvent(new Event('scroll'));
    area.dispatchEvent(new Event('keydown'));
    await settle();

    expect(loads).toBe(0);
  });

  it('loads a module once while turns come faster than it arrives', async () => {
    const area = new EventTarget();
    let loads = 0;
    let arrive: (value: string) => void = () => undefined;
    const module = lazy(() => {
      loads++;
      return new Promise<string>((resolve) => {
        arrive = resolve;
      });
    });
    warmOn(area, module);

    area.dispatchEvent(new Event('focusin'));
    area.dispatchEvent(new Event('pointerover'));
    area.dispatchEvent(new Event('touchstart'));
    arrive('loaded');
    await settle();

    expect(loads).toBe(1);
    expect(module.now).toBe('loaded');
  });
});
