/**
 * Staff console, staff accounts (leads and admins): the page's sections are elements of their own
 * (`<user-list>`, `<user-editor>`, `<new-user>`, in scripts/users/, defined here). The page signs in
 * once, hands each the console, opens the editor on the account the list names, reads the list again
 * after a change, and says what was done in its status line.
 */
import { runConsolePage, type TypedConsole } from './console.ts';
import { el, showStatus } from './format.ts';
import { placeLabel } from './pairings-common.ts';
import './users/new-user.ts';
import type { NewUser } from './users/new-user.ts';
import './users/user-editor.ts';
import type { UserEditor } from './users/user-editor.ts';
import './users/user-list.ts';
import type { UserList } from './users/user-list.ts';

const run = async (c: TypedConsole) => {
  const { m, lang } = c;
  const status = c.$<HTMLElement>('#users-status');
  const list = c.$<UserList>('user-list');
  const editor = c.$<UserEditor>('user-editor');
  const form = c.$<NewUser>('new-user');
  for (const section of [list, editor, form]) section.init(c);

  const announce = (kind: 'success' | 'info', ...lines: string[]) => {
    showStatus(status, kind, ...lines.map((line) => el('span', 'status-line', line)));
    status.scrollIntoView({ block: 'center' });
  };

  list.addEventListener('edit-user', ({ detail }) => editor.open(detail));
  editor.addEventListener('user-saved', async ({ detail }) => {
    await list.load();
    announce('success', detail);
  });
  editor.addEventListener('user-stale', async ({ detail }) => {
    await list.load();
    const fresh = list.user(detail);
    if (fresh) editor.open(fresh);
    editor.stale();
  });
  form.addEventListener('user-made', async ({ detail: { user, invited } }) => {
    await list.load();
    const done = m('staffUsers.new.done', {
      username: user.username,
      role: m(`role.${user.role}`),
      place: placeLabel(user.jurisdiction, lang),
    });
    announce(
      invited ? 'success' : 'info',
      done,
      invited ? m('staffUsers.new.invited', { email: user.email ?? '' }) : m('staffUsers.new.notInvited'),
    );
    list.mark(user.username);
  });
  await list.load();
};

runConsolePage(run);
