/**
 * Dependencies point one way (design.md, Architecture):
 * shared/ imports nothing of ours; functions/ never imports infra/ or site/;
 * site/ imports only shared/; infra/local/ reaches handlers only through the
 * route table (dynamic import of functions/<name>/index.ts), never statically.
 */
module.exports = {
  forbidden: [
    {
      name: 'shared-is-a-leaf',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(functions|infra|site|test|scripts)/' },
    },
    {
      name: 'functions-not-infra-or-site',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: '^(infra|site|test|scripts)/' },
    },
    {
      name: 'site-only-shared',
      severity: 'error',
      from: { path: '^site/' },
      to: { path: '^(functions|infra|test|scripts)/' },
    },
    {
      name: 'infra-not-functions',
      comment: 'CDK and the local runtime load handlers by path from the route table',
      severity: 'error',
      from: { path: '^infra/' },
      to: { path: '^(functions|site/src|test|scripts)/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(node_modules|cdk\\.out|site/dist|\\.data)' },
  },
};
