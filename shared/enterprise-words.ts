/**
 * The enterprise record's codes and their words, without zod (the console's pages import them; the
 * schemas in enterprise.ts build on them). One definition: the API, the roster form and list, the
 * roster import / export and the annual list's export all read the words from here.
 */
export const SIZES = ['large', 'medium', 'small', 'micro'] as const;
export const TIERS = ['county', 'city', 'province'] as const;
export const ENTERPRISE_STATUSES = ['active', 'paused', 'closed'] as const;

/**
 * The kinds of firm the annual list should mix (issue 19), stored on a firm as `types`: an array of
 * these codes (zero or more), in this order.
 */
export const FIRM_TYPES = [
  'key_discharger',
  'strategic_emerging',
  'third_party_governance',
  'eagle_action',
  'positive_list',
] as const;
export type FirmType = (typeof FIRM_TYPES)[number];

interface Words {
  readonly zh: string;
  readonly en: string;
}

export const FIRM_TYPE_WORDS: Record<FirmType, Words> = {
  key_discharger: { zh: '重点排污单位', en: 'Key pollutant discharger' },
  strategic_emerging: { zh: '战略性新兴产业', en: 'Strategic emerging industry' },
  third_party_governance: { zh: '环保第三方治理', en: 'Third-party pollution control' },
  eagle_action: { zh: '雄鹰行动', en: 'Eagle action' },
  positive_list: { zh: '监督执法正面清单', en: 'Positive supervision list' },
};

/** The words of the size, tier and status codes: the roster export writes the Chinese ones. */
export const SIZE_LABELS: Record<(typeof SIZES)[number], Words> = {
  large: { zh: '大型', en: 'Large' },
  medium: { zh: '中型', en: 'Medium' },
  small: { zh: '小型', en: 'Small' },
  micro: { zh: '微型', en: 'Micro' },
};
export const TIER_LABELS: Record<(typeof TIERS)[number], Words> = {
  county: { zh: '县级', en: 'County' },
  city: { zh: '市级', en: 'City' },
  province: { zh: '省级', en: 'Province' },
};
export const STATUS_LABELS: Record<(typeof ENTERPRISE_STATUSES)[number], Words> = {
  active: { zh: '正常', en: 'Active' },
  paused: { zh: '暂停', en: 'Paused' },
  closed: { zh: '关停', en: 'Closed' },
};

/** The words a roster's 企业类型 cell may separate its types with (the export writes 、). */
export const TYPE_SEPARATORS = /[、;；,，\n]+/;

/** A 企业类型 cell → the codes it names (Chinese or English words, or codes) and the words it does not know. */
export const firmTypesOf = (cell: string): { codes: FirmType[]; unknown: string[] } => {
  const codes: FirmType[] = [];
  const unknown: string[] = [];
  for (const word of cell
    .split(TYPE_SEPARATORS)
    .map((w) => w.trim())
    .filter((w) => w !== '')) {
    const plain = word.toLowerCase();
    const code = FIRM_TYPES.find(
      (t) => t === plain || FIRM_TYPE_WORDS[t].zh === word || FIRM_TYPE_WORDS[t].en.toLowerCase() === plain,
    );
    if (code) codes.push(code);
    else unknown.push(word);
  }
  return { codes: FIRM_TYPES.filter((t) => codes.includes(t)), unknown };
};

/** A firm's types in Chinese words, as the exports write them (`重点排污单位、雄鹰行动`). */
export const firmTypesText = (types: readonly string[] | undefined, lang: 'zh' | 'en' = 'zh'): string =>
  (types ?? []).map((t) => FIRM_TYPE_WORDS[t as FirmType]?.[lang] ?? t).join(lang === 'zh' ? '、' : '; ');
