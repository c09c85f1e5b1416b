/**
 * The API's own schemas (zod) for the "three best" case forms, loaded on the first check of a form:
 * the list needs none.
 */
export const schemas = () => import('../../../../shared/cases.ts');
