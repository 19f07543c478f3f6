/**
 * The layering of src/, checked by `npm test` (dependency-cruiser). Each layer lists what it may
 * import; anything else in src/ is an error, and so is any import cycle.
 *
 *   spec          ← nothing at run time; type-only imports of other spec files
 *   errors        ← spec (types)
 *   internal      ← spec, errors                      (small shared utilities, not public)
 *   provider-kit  ← spec, errors, internal
 *   providers     ← spec, errors, internal, provider-kit
 *   cost          ← spec, errors
 *   state         ← spec, errors, internal, stores, router/call-hooks, router/core-services and
 *                   router/router-feature (the response cache and shared state are features)
 *   strategies    ← spec, errors, internal
 *   features      ← spec, errors, internal, cost, state, other features, router/call-hooks,
 *                   router/core-services (the internal hook contracts they plug into) and
 *                   router/router-config (the options they are installed from),
 *                   router/router-feature (the contract they are installed through),
 *                   strategies/estimate-tokens         (telemetry, report, spend, stores, cache)
 *   router        ← spec, errors, internal, cost, state, provider-kit, features (the types of what
 *                   they provide), facades/fetch-surfaces (types), strategies/fallback (the default)
 *   facades       ← spec, errors, internal, router/router-client (the router's public interface),
 *                   router/router-feature (the surfaces of router.fetch are features)
 *   create-router, core-router ← router, facades, features, state (compose the features and facades onto the core)
 *   index         ← anything                          (public re-exports)
 */
const features = '^src/(telemetry|report|spend|stores|cache)/'

const layer = (name, from, allowed) => ({
  name: `${name}-imports-only-${allowed.map((path) => path.replace(/^\^src\//, '').replace(/[\\()|^$]/g, '')).join('+')}`,
  severity: 'error',
  comment: `${name} may import only from: ${allowed.join(', ')}`,
  from: { path: from },
  to: { path: '^src/', pathNot: allowed },
})

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'No import cycles anywhere in src/ (type-only imports included).',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'spec-has-no-runtime-imports',
      severity: 'error',
      comment: 'spec/ is zero-runtime: it may import other spec files, types only, and nothing else.',
      from: { path: '^src/spec/' },
      to: { pathNot: '^src/spec/' },
    },
    {
      name: 'spec-imports-spec-as-types-only',
      severity: 'error',
      comment: 'spec/ imports other spec files with `import type` / `export type` only.',
      from: { path: '^src/spec/' },
      to: { path: '^src/spec/', dependencyTypesNot: ['type-only'] },
    },
    layer('errors', '^src/errors/', ['^src/errors/', '^src/spec/']),
    layer('internal', '^src/internal/', ['^src/internal/', '^src/spec/', '^src/errors/']),
    layer('provider-kit', '^src/provider-kit/', ['^src/provider-kit/', '^src/spec/', '^src/errors/', '^src/internal/']),
    layer('providers', '^src/providers/', ['^src/providers/', '^src/provider-kit/', '^src/spec/', '^src/errors/', '^src/internal/']),
    layer('cost', '^src/cost/', ['^src/cost/', '^src/spec/', '^src/errors/']),
    layer('state', '^src/state/', [
      '^src/state/',
      '^src/spec/',
      '^src/errors/',
      '^src/internal/',
      '^src/stores/',
      '^src/router/call-hooks[.]ts$',
      '^src/router/core-services[.]ts$',
      '^src/router/router-feature[.]ts$',
    ]),
    layer('strategies', '^src/strategies/', ['^src/strategies/', '^src/spec/', '^src/errors/', '^src/internal/']),
    layer('features', features, [
      features,
      '^src/spec/',
      '^src/errors/',
      '^src/internal/',
      '^src/cost/',
      '^src/state/',
      '^src/router/call-hooks[.]ts$',
      '^src/router/core-services[.]ts$',
      '^src/router/router-config[.]ts$',
      '^src/router/router-feature[.]ts$',
      '^src/strategies/estimate-tokens[.]ts$',
    ]),
    layer('router', '^src/router/', [
      '^src/router/',
      features,
      '^src/spec/',
      '^src/errors/',
      '^src/internal/',
      '^src/cost/',
      '^src/state/',
      '^src/provider-kit/',
      '^src/facades/fetch-surfaces[.]ts$',
      '^src/strategies/fallback[.]ts$',
    ]),
    layer('facades', '^src/facades/', ['^src/facades/', '^src/spec/', '^src/errors/', '^src/internal/', '^src/router/router-client[.]ts$', '^src/router/router-feature[.]ts$']),
    layer('create-router', '^src/(create|core)-router[.]ts$', ['^src/(create|core)-router[.]ts$', '^src/router/', '^src/facades/', '^src/errors/', '^src/state/', features]),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: they are dependencies of the contract, and can form cycles too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    exclude: { path: '^(test|bench|examples|dist)/' },
  },
}
