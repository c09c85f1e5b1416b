/**
 * Coverage per county (issue 19, the annual list): how many firms each county has paired in a
 * service year against the target (about ten; CDK context `coverageTarget`), and the mix of the
 * paired firms' sizes and types, so a lead sees which counties are short and whether the list mixes
 * large and small, key dischargers and "Eagle action" firms as the programme asks.
 */
import { FIRM_TYPES, type FirmType, type SIZES } from './enterprise-words.ts';

/** Pairings a county is expected to hold in a service year (the programme's "about ten"). */
export const DEFAULT_COVERAGE_TARGET = 10;

/** The target of a deployment's setting: a whole number from 1 to 1000; unset or blank is the default. */
export const coverageTargetFrom = (text: string | undefined): number => {
  if (text === undefined || text.trim() === '') return DEFAULT_COVERAGE_TARGET;
  const n = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || n < 1 || n > 1000)
    throw new Error(`"${text}" is not a whole number from 1 to 1000`);
  return n;
};

/** The firm types the programme asks the list to mix: the enterprise record's own codes. */
export { FIRM_TYPES, type FirmType };

export type SizeMix = Record<(typeof SIZES)[number] | 'unknown', number>;
export type TypeMix = Record<FirmType, number>;

export interface CountyCoverage {
  county: string;
  /** Pairings of the year not ended (active or paused), or ended by the roll-over: the county's list. */
  paired: number;
  underTarget: boolean;
  sizes: SizeMix;
  /** A firm of several types counts under each; firms of none are `untyped`. */
  types: TypeMix;
  untyped: number;
}

export interface Coverage {
  jurisdiction: string;
  serviceYear: number;
  target: number;
  counties: CountyCoverage[];
  /**
   * False when the read stopped at its budget (a subtree holding more pairings than one answer
   * reads): the counts are then lower bounds. Ask for a city or a county.
   */
  complete: boolean;
}
