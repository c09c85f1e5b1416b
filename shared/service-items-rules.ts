import type { Named } from './staff-user-rules.ts';

// The service catalogue, its limits and counters, without zod: the pages import these, and only a page that checks a form loads the schemas
// (shared/service-items.ts, which re-exports this file), on first use (site/src/kit/lazy.ts).

/**
 * The annual service items (年度服务事项) a bureau counts its work against: a versioned catalogue
 * that admins edit, so contacts and ledger items can be tagged and the bureau can count what it
 * brought to firms under "送政策、送技术、送服务" (issue 19). Suzhou counts 14 items a year; the
 * defaults below are those 14, grouped by what they bring.
 *
 * Ids are stable: a tag written last year must still resolve, so an item leaves the catalogue only
 * by being retired (kept, no longer offered), never by being deleted.
 */
export const SERVICE_CATEGORIES = ['policy', 'technology', 'service'] as const;

export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];

export interface ServiceItem {
  /** Stable id, e.g. `S01`: the tag stored on contacts and ledger items, and the counter's name. */
  readonly id: string;
  readonly category: ServiceCategory;
  readonly zh: string;
  readonly en: string;
  /** No longer offered for new tags; old tags keep their name. */
  readonly retired?: boolean;
}

export interface ServiceCatalogue {
  /** 0 for the built-in defaults (nothing stored yet); each admin edit adds one. */
  readonly version: number;
  readonly items: readonly ServiceItem[];
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
}

/** The person a catalogue names: its last editor, answered with `updatedByName` (issue 18). */
export const SERVICE_CATALOGUE_PEOPLE = ['updatedBy'] as const;

export type ServiceCatalogueView = Named<ServiceCatalogue, (typeof SERVICE_CATALOGUE_PEOPLE)[number]>;

export const DEFAULT_SERVICE_ITEMS: readonly ServiceItem[] = [
  { id: 'S01', category: 'policy', zh: '生态环境政策宣讲解读', en: 'Explaining environmental policy' },
  { id: 'S02', category: 'policy', zh: '环评审批服务', en: 'EIA approval service' },
  { id: 'S03', category: 'policy', zh: '排污许可申领指导', en: 'Discharge permit guidance' },
  { id: 'S04', category: 'policy', zh: '环境信用修复指导', en: 'Environmental credit repair' },
  { id: 'S05', category: 'policy', zh: '绿色金融政策对接', en: 'Green finance matching' },
  { id: 'S06', category: 'technology', zh: '治污设施运行诊断', en: 'Pollution-control equipment diagnosis' },
  { id: 'S07', category: 'technology', zh: '清洁生产审核指导', en: 'Cleaner-production audit guidance' },
  { id: 'S08', category: 'technology', zh: '监测检测技术帮扶', en: 'Monitoring and testing support' },
  { id: 'S09', category: 'technology', zh: '危险废物规范化管理指导', en: 'Hazardous-waste management guidance' },
  { id: 'S10', category: 'technology', zh: '减污降碳技术对接', en: 'Pollution and carbon reduction technology' },
  { id: 'S11', category: 'service', zh: '企业诉求办理', en: 'Handling firms’ requests' },
  { id: 'S12', category: 'service', zh: '环境应急预案指导', en: 'Emergency plan guidance' },
  { id: 'S13', category: 'service', zh: '执法正面清单服务', en: 'Positive supervision list service' },
  { id: 'S14', category: 'service', zh: '企业环保培训', en: 'Environmental training for firms' },
];

export const DEFAULT_CATALOGUE: ServiceCatalogue = {
  version: 0,
  items: DEFAULT_SERVICE_ITEMS,
  updatedAt: null,
  updatedBy: null,
};

/** At most this many items in a catalogue (the counters of one month keep a name per item). */
export const MAX_SERVICE_ITEMS = 60;

/** At most this many service items on one contact or ledger item. */
export const MAX_TAGS = 5;

/** The ids a new catalogue drops from the current one (each must be kept, retired if unwanted). */
export const droppedIds = (current: readonly ServiceItem[], next: readonly Pick<ServiceItem, 'id'>[]): string[] => {
  const kept = new Set(next.map((i) => i.id));
  return current.map((i) => i.id).filter((id) => !kept.has(id));
};

/** The tags a catalogue does not offer: unknown ids, or items retired. */
export const unofferedTags = (catalogue: Pick<ServiceCatalogue, 'items'>, tags: readonly string[]): string[] => {
  const offered = new Set(catalogue.items.filter((i) => !i.retired).map((i) => i.id));
  return tags.filter((id) => !offered.has(id));
};

/** What the counters name: contacts (`c_S01`) and ledger items raised (`l_S01`) per service item. */
export const contactCounter = (id: string) => `c_${id}`;

export const ledgerCounter = (id: string) => `l_${id}`;

/** One service item's counts over a period. */
export interface ServiceItemCount {
  readonly id: string;
  readonly category: ServiceCategory;
  readonly zh: string;
  readonly en: string;
  readonly retired: boolean;
  readonly contacts: number;
  readonly ledgerItems: number;
}

/** `GET /api/staff/service-items/stats`: per item and per category (送政策、送技术、送服务). */
export interface ServiceStats {
  readonly jurisdiction: string;
  readonly from: string;
  readonly to: string;
  readonly catalogueVersion: number;
  readonly items: readonly ServiceItemCount[];
  readonly categories: Readonly<Record<ServiceCategory, { contacts: number; ledgerItems: number }>>;
}

/** Counts per item from summed counters, in catalogue order, with category totals. */
export const serviceStatsOf = (
  catalogue: Pick<ServiceCatalogue, 'items'>,
  sum: (counter: string) => number,
): Pick<ServiceStats, 'items' | 'categories'> => {
  const items = catalogue.items.map((i) => ({
    id: i.id,
    category: i.category,
    zh: i.zh,
    en: i.en,
    retired: i.retired === true,
    contacts: sum(contactCounter(i.id)),
    ledgerItems: sum(ledgerCounter(i.id)),
  }));
  const categories = Object.fromEntries(
    SERVICE_CATEGORIES.map((c) => {
      const of = items.filter((i) => i.category === c);
      return [
        c,
        {
          contacts: of.reduce((n, i) => n + i.contacts, 0),
          ledgerItems: of.reduce((n, i) => n + i.ledgerItems, 0),
        },
      ];
    }),
  ) as Record<ServiceCategory, { contacts: number; ledgerItems: number }>;
  return { items, categories };
};
