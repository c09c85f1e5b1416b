import { createApi } from '../lib/http.ts';
import { getMe } from './me.ts';

export const handler = createApi('staff', {
  'me.get': getMe,
});
