/** The home page's status line: `GET /api/health` → "Service OK · version · time (Asia/Shanghai)". */
import { shanghaiParts } from '../../../shared/time.ts';
import { messagesOf, publicApi } from '../kit/public-api.ts';

const pad = (n: number): string => String(n).padStart(2, '0');

/** `2026-11-23 17:02` in Shanghai, or undefined for a value that is not a time. */
const shanghaiTime = (iso: unknown): string | undefined => {
  if (typeof iso !== 'string') return undefined;
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return undefined;
  const p = shanghaiParts(instant);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
};

const check = async (line: HTMLElement): Promise<void> => {
  const msg = messagesOf(line);
  /** Each part stays on one line; lines break only between parts. */
  const show = (state: string, ...parts: string[]) => {
    line.dataset.state = state;
    line.replaceChildren();
    parts.forEach((part, i) => {
      if (i > 0) line.append(' · ');
      const span = document.createElement('span');
      span.textContent = part;
      line.append(span);
    });
  };
  show('checking', msg['health.checking'] ?? '');
  const result = await publicApi('health.get', { timeoutMs: 8_000 });
  const health = result.ok ? result.body : undefined;
  if (health?.status === 'ok') {
    const parts = [msg['health.ok'] ?? ''];
    // The build's version is for whoever supports the service, not the status people read (issue 18).
    if (typeof health.version === 'string') line.title = `${msg['health.version']} ${health.version}`;
    const time = shanghaiTime(health.time);
    if (time) parts.push((msg['health.time'] ?? '{time}').replace('{time}', time));
    show('ok', ...parts);
  } else {
    show('down', msg['health.down'] ?? '');
  }
};

const line = document.querySelector<HTMLElement>('#health');
if (line) void check(line);
