/** Attached files shown as links and thumbnails, with their short-lived presigned addresses. */
import { api } from '../../kit/api.ts';
import type { TypedConsole } from '../console.ts';
import { el } from '../format.ts';
import { EVIDENCE_LINK_KEYS } from '../upload-keys.ts';
import { type Evidence, type EvidenceRef, FRESH_MS, fileBadge, PICTURES } from './files.ts';

/**
 * Saved evidence as list items: the file's name with its thumbnail (JPEG, PNG) or badge, linking to a
 * presigned URL. The links are asked for a few at a time and kept four minutes.
 */
export const evidenceLinks = (c: Pick<TypedConsole, 'm' | 'token'>, types: Record<string, string>) => {
  const { m, token } = c;
  let running = 0;
  const waiting: (() => void)[] = [];
  const queued = async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= 4) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
  const cache = new Map<string, { evidence: Evidence; at: number } | null>();
  const fetchEvidence = async (id: string, fresh = false): Promise<Evidence | null> => {
    const cached = cache.get(id);
    if (!fresh && cached !== undefined && (cached === null || Date.now() - cached.at < FRESH_MS)) {
      return cached?.evidence ?? null;
    }
    const answer = await queued(() => api('evidence.get', { params: { id }, token }));
    const evidence = answer.ok ? answer.body : undefined;
    if (evidence?.download?.url) {
      cache.set(id, { evidence, at: Date.now() });
      return evidence;
    }
    cache.set(id, null);
    return null;
  };

  return (id: string, ref?: Pick<EvidenceRef, 'fileName' | 'contentType'>): HTMLLIElement => {
    const item = el('li', 'evidence-thumb');
    item.dataset.evidenceId = id;
    if (ref) {
      const waitingLink = el('span', 'evidence-link');
      waitingLink.append(fileBadge(types, ref.contentType), el('span', 'evidence-name', ref.fileName));
      item.append(waitingLink);
    } else {
      item.append(el('span', 'muted small', m(EVIDENCE_LINK_KEYS.loading)));
    }
    void fetchEvidence(id).then((evidence) => {
      if (!evidence) {
        item.replaceChildren(el('span', 'muted small', m(EVIDENCE_LINK_KEYS.failed)));
        return;
      }
      const link = el('a', 'evidence-link');
      link.href = evidence.download.url;
      link.target = '_blank';
      link.rel = 'noopener';
      if (PICTURES.includes(evidence.contentType)) {
        const img = el('img');
        img.alt = '';
        img.loading = 'lazy';
        img.decoding = 'async';
        img.src = evidence.download.url;
        img.addEventListener('error', () => img.replaceWith(fileBadge(types, evidence.contentType)));
        link.append(img);
      } else {
        link.append(fileBadge(types, evidence.contentType));
      }
      link.append(el('span', 'evidence-name', evidence.fileName));
      // A presigned link lives five minutes: an old one is fetched again before it opens.
      link.addEventListener('click', async (event) => {
        const cached = cache.get(id);
        if (cached && Date.now() - cached.at < FRESH_MS) return;
        event.preventDefault();
        const again = await fetchEvidence(id, true);
        if (again) {
          link.href = again.download.url;
          window.open(again.download.url, '_blank', 'noopener');
        }
      });
      item.replaceChildren(link);
    });
    return item;
  };
};
