import t from 'tap'
import { readFileSync } from 'node:fs'
import ts from 'typescript'
import { OPTION_SPEC, type OptionName, type OptionSpec } from '../lib/option-spec.js'
import { acceptsText, envVariable, flagOf } from '../lib/option-text.js'
import { LogbeamOptionError } from '../lib/option-error.js'
import { DEFAULTS, resolveOptions } from '../lib/options.js'
import { FLAGS, envName } from '../lib/cli/flags.js'

/** The TSDoc of each field of `Options`, as the shipped .d.ts carries it. */
function optionsDocs (): Map<string, { text: string, defaultTag: string | undefined }> {
  const path = new URL('../lib/options.ts', import.meta.url)
  const source = ts.createSourceFile('options.ts', readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true)
  const docs = new Map<string, { text: string, defaultTag: string | undefined }>()
  source.forEachChild(node => {
    if (!ts.isInterfaceDeclaration(node) || node.name.text !== 'Options') return
    for (const member of node.members) {
      const jsDoc = (member as unknown as { jsDoc?: ts.JSDoc[] }).jsDoc?.[0]
      const text = ts.getTextOfJSDocComment(jsDoc?.comment) ?? ''
      const tag = jsDoc?.tags?.find(tag => tag.tagName.text === 'default')
      docs.set((member.name as ts.Identifier).text, { text, defaultTag: ts.getTextOfJSDocComment(tag?.comment)?.trim() })
    }
  })
  return docs
}

/** How a default reads in TSDoc: `'time'`, `10000`, `{}`, `undefined`. */
function tsdocDefault (spec: OptionSpec): string {
  const value = spec.default
  if (value === undefined) return 'undefined'
  if (typeof value === 'string') return `'${value}'`
  if (typeof value === 'object') return '{}'
  return String(value)
}

const docs = optionsDocs()
const specs = Object.entries(OPTION_SPEC) as Array<[OptionName, OptionSpec]>

t.test('every field of Options has TSDoc whose @default is the spec\'s default', async t => {
  t.same([...docs.keys()].sort(), specs.map(([name]) => name).sort(), 'the same options in the type and the spec')
  for (const [name, spec] of specs) {
    const doc = docs.get(name)!
    if (spec.required) {
      t.match(doc.text, /Required\./, `${name}: documented as required`)
      continue
    }
    t.ok(doc.defaultTag, `${name}: has @default`)
    t.equal(doc.defaultTag?.split(' ')[0], tsdocDefault(spec), `${name}: @default ${tsdocDefault(spec)}`)
  }
})

t.test('every range is documented in the TSDoc', async t => {
  for (const [name, spec] of specs) {
    if (spec.kind !== 'integer') continue
    t.ok(docs.get(name)!.text.toLowerCase().includes(acceptsText(spec)), `${name}: "${acceptsText(spec)}"`)
  }
})

t.test('DEFAULTS and resolveOptions apply the spec\'s defaults', async t => {
  const resolved = resolveOptions({ logGroupName: 'app' }) as unknown as Record<string, unknown>
  for (const [name, spec] of specs) {
    if (name === 'logStreamName' || spec.required) continue
    t.same(resolved[name], spec.default, `${name}`)
    if (spec.default !== undefined) t.same(DEFAULTS[name as keyof typeof DEFAULTS], spec.default, `DEFAULTS.${name}`)
  }
})

/** The option a LogbeamOptionError names, or why there is none. */
function refused (fn: () => unknown): string {
  try { fn() } catch (err) { return err instanceof LogbeamOptionError ? err.option : `not a LogbeamOptionError: ${err}` }
  return 'not refused'
}

t.test('integer bounds are what resolveOptions enforces', async t => {
  for (const [name, spec] of specs) {
    if (spec.kind !== 'integer') continue
    t.doesNotThrow(() => resolveOptions({ logGroupName: 'g', [name]: spec.min }), `${name} = ${spec.min}`)
    t.equal(refused(() => resolveOptions({ logGroupName: 'g', [name]: spec.min! - 1 })), name, `${name} < min`)
    if (spec.max === Number.MAX_SAFE_INTEGER) continue
    t.doesNotThrow(() => resolveOptions({ logGroupName: 'g', [name]: spec.max }), `${name} = ${spec.max}`)
    t.equal(refused(() => resolveOptions({ logGroupName: 'g', [name]: spec.max! + 1 })), name, `${name} > max`)
  }
})

t.test('every option the CLI spells is a flag with its LOGBEAM_ variable; library-only ones are not', async t => {
  for (const [name, spec] of specs) {
    const flag = FLAGS.find(f => 'option' in f.target && f.target.option === name)
    if (spec.cli === false) {
      t.equal(flag, undefined, `${name}: library only`)
      continue
    }
    t.equal(flag?.name, flagOf(name), `${name}: --${flagOf(name)}`)
    t.equal(envName(flag!), envVariable(flag!.name), `${name}: ${envVariable(flag!.name)}`)
  }
  t.equal(envVariable('max-concurrent-puts'), 'LOGBEAM_MAX_CONCURRENT_PUTS')
})
