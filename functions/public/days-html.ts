import { nameOf } from '../../shared/jurisdictions.ts';
import type { Day, Slot } from '../lib/consultation/days.ts';
import { escapeHtml } from '../lib/formats/html.ts';

/**
 * The list of upcoming consultation days as plain HTML, for reading without JavaScript
 * (the static page links here from its <noscript>). No scripts; inline styles only.
 */
export const prefersHtml = (accept: string | undefined): boolean => {
  if (!accept) return false;
  const html = accept.indexOf('text/html');
  const json = accept.indexOf('application/json');
  return html >= 0 && (json < 0 || html < json);
};

const words = {
  zh: {
    title: '企业环保咨询日',
    none: '近期没有开放预约的咨询日。',
    venue: '地点',
    online: '线上',
    topics: '咨询主题',
    remaining: (n: number) => (n > 0 ? `剩余 ${n} 席` : '已满'),
    back: '返回预约页面（需要 JavaScript）',
    page: '/consultation-days/',
  },
  en: {
    title: 'Consultation days',
    none: 'No consultation day is open for booking.',
    venue: 'Venue',
    online: 'Online',
    topics: 'Topics',
    remaining: (n: number) => (n > 0 ? `${n} seats left` : 'Full'),
    back: 'Back to the booking page (needs JavaScript)',
    page: '/en/consultation-days/',
  },
};

export const daysHtml = (days: { day: Day; slots: Slot[] }[], lang: 'zh' | 'en'): string => {
  const w = words[lang];
  const items = days
    .map(({ day, slots }) => {
      const where = [
        day.venue ? `<p>${w.venue}: ${escapeHtml(day.venue)}</p>` : '',
        day.onlineUrl ? `<p>${w.online}: ${escapeHtml(day.onlineUrl)}</p>` : '',
      ].join('');
      const slotList = slots
        .map(
          (s) =>
            `<li>${s.startsAt.slice(11, 16)}–${s.endsAt.slice(11, 16)} · ${w.remaining(s.capacity - s.confirmed)}</li>`,
        )
        .join('');
      return `<li class="day"><h2>${escapeHtml(day.date)} · ${escapeHtml(nameOf(day.jurisdiction, lang))}</h2>${where}<p>${w.topics}: ${day.topics.map(escapeHtml).join('、')}</p><ul>${slotList}</ul></li>`;
    })
    .join('');
  return `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${w.title}</title><style>body{font-family:system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0 auto;max-width:44rem;padding:1rem;line-height:1.6;color:#1a2b23}h1{color:#0f6e4f}ul.days{list-style:none;padding:0}li.day{border:1px solid #cfd8d3;border-radius:8px;padding:.75rem 1rem;margin:.75rem 0}h2{font-size:1.1rem;margin:.2rem 0}</style></head><body><h1>${w.title}</h1>${
    days.length ? `<ul class="days">${items}</ul>` : `<p>${w.none}</p>`
  }<p><a href="${w.page}">${w.back}</a></p></body></html>`;
};
