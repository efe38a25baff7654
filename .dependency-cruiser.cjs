// The direction of src/'s arrows (DESIGN.md, "Layers"): each folder may import only from
// the layers below it, and nothing may import in a circle. `npm run lint` runs it.
//   entry points (cli.ts, cli/, server.ts)
//   api/       the HTTP surfaces: /v1, the Ghost layer, the console
//   importer/, webhooks/
//   blog/      the domain: schemas and the queries that read them
//   media/
//   db/        connections, migrations, SQL (and Prisma's generated client)
//   config.ts  settings
const LAYERS = [
  ['entry', '^src/(cli\\.ts|cli/|server\\.ts|listen\\.ts)'],
  ['api', '^src/api/'],
  ['importer', '^src/(importer|webhooks)/'],
  ['blog', '^src/blog/'],
  ['media', '^src/media/'],
  ['db', '^src/(db|generated)/'],
  ['config', '^src/config(\\.ts$|/)'],
];

const upward = LAYERS.slice(1).map(([name, path], i) => ({
  name: `no-${name}-upward`,
  comment: `${name} imports only from the layers below it`,
  severity: 'error',
  from: { path },
  to: { path: LAYERS.slice(0, i + 1).map(([, p]) => p) },
}));

module.exports = {
  forbidden: [
    // Prisma's generated client is not ours to arrange.
    { name: 'no-circular', severity: 'error', from: { path: '^src/', pathNot: '^src/generated/' }, to: { circular: true } },
    ...upward,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
