import { createApi } from '../lib/http.ts';
import { getHealth } from './health.ts';

export const handler = createApi('public', {
  'health.get': getHealth,
});
