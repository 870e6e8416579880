import t from 'tap'
import { readFileSync } from 'node:fs'
import ts from 'typescript'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const from = readme.indexOf('<!-- exports:start -->')
const to = readme.indexOf('<!-- exports:end -->')
const section = readme.slice(from, to)

/** Every name a module exports, values and types alike, read from its re-export statements. */
function exportedNames (file: string): string[] {
  const text = readFileSync(new URL(file, import.meta.url), 'utf8')
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true)
  const names: string[] = []
  source.forEachChild(node => {
    if (!ts.isExportDeclaration(node) || !node.exportClause || !ts.isNamedExports(node.exportClause)) return
    for (const element of node.exportClause.elements) names.push(element.name.text)
  })
  return names
}

/** The names the README's list documents for one package: its bullet, in backticks. */
function documented (pkg: string): string[] {
  const bullet = section.split('\n- ').find(b => b.startsWith(`\`${pkg}\`:`)) ?? ''
  return [...bullet.matchAll(/`([A-Za-z_$][\w$]*)(?:\([^`]*\))?`/g)].map(m => m[1]!)
}

const packages = [['logbeam', '../lib/index.ts'], ['logbeam/local', '../lib/local/index.ts']] as const

t.test('README.md lists its exports between markers', async t => {
  t.ok(from >= 0 && to > from, 'README.md has the <!-- exports:start --> ... <!-- exports:end --> markers')
})

for (const [pkg, file] of packages) {
  t.test(`${pkg} exports exactly what the README documents`, async t => {
    const exported = exportedNames(file).filter(name => name !== 'default')
    const listed = documented(pkg)
    t.same(exported.filter(name => !listed.includes(name)), [], 'every export is documented')
    // Names in the bullet that are options or fields (`overflow: 'block'`) are not in backticks alone.
    t.same(listed.filter(name => !exported.includes(name) && name !== pkg.split('/').pop()), [],
      'every name documented is exported')
  })
}
