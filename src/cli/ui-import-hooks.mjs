/**
 * Module hooks for the process that runs the terminal UI (registered by ui-imports.ts). Ink
 * imports one function, `throttle`, from the `es-toolkit/compat` barrel, whose ES module entry
 * loads about 415 files; through tsx's loader that was most of the UI's start-up time. Only that
 * import is answered with a one-line module re-exporting `throttle` from its own entry point,
 * resolved as Ink would resolve it.
 */
const NAMED_THROTTLE = '?flower-named-throttle';

export async function resolve(specifier, context, nextResolve) {
  if (specifier !== 'es-toolkit/compat' || !context.parentURL?.includes('/node_modules/ink/')) return nextResolve(specifier, context);
  const { url } = await nextResolve('es-toolkit/compat/throttle', context);
  return { url: `${url}${NAMED_THROTTLE}`, format: 'module', shortCircuit: true };
}

export async function load(url, context, nextLoad) {
  if (!url.endsWith(NAMED_THROTTLE)) return nextLoad(url, context);
  const entry = url.slice(0, -NAMED_THROTTLE.length);
  return { format: 'module', source: `export { default as throttle } from ${JSON.stringify(entry)};`, shortCircuit: true };
}
