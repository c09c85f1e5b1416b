/**
 * GB/T 2260 administrative codes (six digits). A province ends in 0000, a city in 00.
 * A scope contains a code when the code starts with the scope's significant prefix.
 */
export const JURISDICTION_CODE = /^\d{6}$/;

export type Level = 'province' | 'city' | 'county';

export const levelOf = (code: string): Level =>
  code.endsWith('0000') ? 'province' : code.endsWith('00') ? 'city' : 'county';

/** The digits that every code inside this jurisdiction starts with. */
export const prefixOf = (code: string): string => {
  const level = levelOf(code);
  return level === 'province' ? code.slice(0, 2) : level === 'city' ? code.slice(0, 4) : code;
};

/** True when `code` is `scope` itself or lies inside it. */
export const contains = (scope: string, code: string): boolean =>
  JURISDICTION_CODE.test(scope) && JURISDICTION_CODE.test(code) && code.startsWith(prefixOf(scope));

/** The next jurisdiction up, or undefined for a province. */
export const parentOf = (code: string): string | undefined => {
  const level = levelOf(code);
  if (level === 'province') return undefined;
  if (level === 'city') return `${code.slice(0, 2)}0000`;
  const city = `${code.slice(0, 4)}00`;
  // Province-administered county-level units (e.g. 4290xx) have no city: go to the province.
  return names[city] ? city : `${code.slice(0, 2)}0000`;
};

/** Names of the demo geography (Jiangsu) and other codes the product knows by name. */
export const names: Record<string, { zh: string; en: string }> = {
  '320000': { zh: '江苏省', en: 'Jiangsu Province' },
  '320500': { zh: '苏州市', en: 'Suzhou' },
  '320506': { zh: '吴中区', en: 'Wuzhong District' },
  '320507': { zh: '相城区', en: 'Xiangcheng District' },
  '320200': { zh: '无锡市', en: 'Wuxi' },
  '320281': { zh: '江阴市', en: 'Jiangyin' },
};

export const nameOf = (code: string, lang: 'zh' | 'en' = 'zh'): string => names[code]?.[lang] ?? code;

/**
 * Whether this is a real code the product serves: a GB/T 2260 code listed in `names` (to serve
 * another county, city or province, add its code and names there). Six digits alone are not
 * enough: 320599 is well formed and lies inside Suzhou's prefix, so the scope rules alone would
 * let a Suzhou lead file records, accounts or robots under a county that does not exist.
 */
export const isKnownJurisdiction = (code: string): boolean =>
  JURISDICTION_CODE.test(code) && Object.hasOwn(names, code);
