// Scores one cache-tests result file by the suite's own rules (lib/display.mjs determineTestResult):
// a test passes only if its result is true and every test it depends on passed (a "check" counts when
// it answered yes). Browser-only tests are not run against proxies and are not counted.
// With --floor R O, exits 1 (naming what dropped) when fewer than R required or O optimal tests pass: the guard
// scripts/test.sh keeps on the edge's score.
// Usage: node cache-conformance-summary.mjs <suite-dir> <name> <results.json> [--failures] [--floor R O]
import fs from 'fs'
import path from 'path'
import { pathToFileURL } from 'url'

const [suiteDir, name, resultsFile, ...flags] = process.argv.slice(2)
const showFailures = flags.includes('--failures')
const floorAt = flags.indexOf('--floor')
const floor = floorAt < 0 ? null : { required: Number(flags[floorAt + 1]), optimal: Number(flags[floorAt + 2]) }
if (floor && !(Number.isInteger(floor.required) && Number.isInteger(floor.optimal))) {
  console.error(`--floor wants two whole numbers (required, optimal), not '${flags[floorAt + 1]}' '${flags[floorAt + 2]}'`)
  process.exit(2)
}
const load = async rel => (await import(pathToFileURL(path.join(suiteDir, rel)).href)).default
const suites = [...await load('tests/index.mjs'), await load('tests/surrogate-control.mjs')]
const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'))

const tests = new Map()
for (const suite of suites) for (const test of suite.tests) if (!test.browser_only) tests.set(test.id, test)

const memo = new Map()
function outcome (id) {
  if (memo.has(id)) return memo.get(id)
  const test = tests.get(id)
  const result = results[id]
  let value
  if (result === undefined) value = 'untested'
  else if ((test.depends_on || []).some(dep => !['pass', 'yes'].includes(outcome(dep)))) value = 'dependency'
  else if (Array.isArray(result) && result[0] === 'Setup') value = result[1] === 'retry' ? 'retry' : 'setup'
  else if (test.kind === 'check') value = result === true ? 'yes' : 'no'
  else value = result === true ? 'pass' : 'fail'
  memo.set(id, value)
  return value
}

const count = { required: [0, 0], optimal: [0, 0] }
const harness = []
const failures = []
for (const [id, test] of tests) {
  const kind = test.kind === 'optimal' ? 'optimal' : test.kind === 'check' ? 'check' : 'required'
  const value = outcome(id)
  if (value === 'setup' || value === 'retry' || (Array.isArray(results[id]) && results[id][0] !== 'Assertion' && results[id][0] !== 'Setup')) harness.push(`${id}: ${JSON.stringify(results[id])}`)
  if (kind === 'check') continue
  count[kind][1]++
  if (value === 'pass') count[kind][0]++
  else failures.push(`  ${kind.padEnd(8)} ${id}: ${value}${Array.isArray(results[id]) ? ' - ' + results[id].slice(1).join(' ') : ''}`)
}
console.log(`${name.padEnd(12)} required ${count.required[0]}/${count.required[1]} optimal ${count.optimal[0]}/${count.optimal[1]} harness/setup failures ${harness.length}`)
if (showFailures) {
  for (const line of failures) console.log(line)
  for (const line of harness) console.log(`  harness  ${line}`)
}
if (floor) {
  const dropped = ['required', 'optimal'].filter(kind => count[kind][0] < floor[kind])
  if (dropped.length > 0) {
    console.error(`${name}: the cache conformance score dropped below its floor: ` +
      dropped.map(kind => `${kind} ${count[kind][0]} < ${floor[kind]}`).join(', ') +
      ' (scripts/cache-conformance.sh --failures lists the tests that fail)')
    process.exit(1)
  }
  console.log(`${name.padEnd(12)} at or above the floor (required ${floor.required}, optimal ${floor.optimal})`)
}
