// JUnit XML as CI systems read it, held to the required elements and attributes of the Ant JUnit
// schema (the one Jenkins, GitLab and GitHub's test reporters accept): testsuite with name,
// timestamp, hostname, tests, failures, errors, time, and its properties, testcases, system-out
// and system-err in that order; testcase with name, classname, time; failure with message, type.

import { strict as assert } from 'node:assert';
import { junitXml } from '../../../src/labtests/junit';
import type { LabTestResult, LabTestRun } from '../../../src/labtests/types';

interface Element {
  name: string;
  attributes: Record<string, string>;
  children: Element[];
  text: string;
}

const unescape = (text: string) => text.replace(/&#10;/g, '\n').replace(/&#13;/g, '\r').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/** A strict little reader for the XML the writer makes: elements, attributes, text; throws on anything unbalanced. */
function parseXml(xml: string): Element {
  const body = xml.replace(/^<\?xml [^?]*\?>\s*/, '');
  const root: Element = { name: '#root', attributes: {}, children: [], text: '' };
  const stack = [root];
  const token = /<(\/?)([A-Za-z][\w-]*)((?:\s+[\w-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let at = 0;
  while ((match = token.exec(body))) {
    at = token.lastIndex;
    const [, close, name, attrs, selfClose, text] = match;
    const top = stack[stack.length - 1];
    if (text !== undefined) {
      top.text += unescape(text);
      continue;
    }
    if (close) {
      assert.equal(top.name, name, `</${name}> closes <${top.name}>`);
      stack.pop();
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const [, key, value] of (attrs ?? '').matchAll(/([\w-]+)="([^"]*)"/g)) attributes[key] = unescape(value);
    const element: Element = { name, attributes, children: [], text: '' };
    top.children.push(element);
    if (!selfClose) stack.push(element);
  }
  assert.equal(at, body.length, `unreadable XML at ${at}: ${body.slice(at, at + 40)}`);
  assert.equal(stack.length, 1, 'every element is closed');
  const elements = root.children;
  assert.equal(elements.length, 1, 'one root element');
  return elements[0];
}

const result = (over: Partial<LabTestResult>): LabTestResult => ({ name: 'x', from: 'test-a:eth2', to: '10.213.50.12', expect: 'reach', passed: true, ms: 12, trace: null, ping: { sent: 1, received: 1 }, details: [], ...over });

const run: LabTestRun = {
  ms: 2345,
  results: [
    result({ name: 'sites-reach', ms: 8 }),
    result({
      name: 'all-pairs: test-a:eth2 -> test-b:eth2',
      passed: false,
      ms: 2310,
      ping: { sent: 1, received: 0 },
      message: 'lost between ovs-b:eth2 and test-b:eth2 (cn-b), request leg, arp: mac-filter (proved): frames left with source MAC <bc:76> & more',
      details: ['measured: control "probe" reached test-b:eth2', 'hint: allow the MAC\u0007'],
      trace: { version: 2, from: { host: 'test-a', interface: 'eth2' }, to: '10.213.50.12', delivered: false, probes: ['arp'], hops: [], lostBetween: null, cause: { kind: 'mac-filter', confidence: 'proved', evidence: [] }, hints: [], elapsedMs: 2000 },
    }),
    result({ name: 'management-isolated', expect: 'isolated', passed: false, message: 'expected isolated, but 1 of 1 ping answered: traffic passes' }),
    result({ name: 'full-size', passed: false, cancelled: true, message: 'cancelled before it had its answer' }),
  ],
};

describe('JUnit XML of a test run', () => {
  const xml = junitXml('demo', run, { timestamp: new Date('2026-12-04T01:02:03.456Z'), hostname: 'ci-runner' });
  const root = parseXml(xml);

  it('has the schema’s required elements and attributes, in the schema’s order', () => {
    assert.equal(root.name, 'testsuites');
    const suites = root.children;
    assert.deepEqual(suites.map((s) => s.name), ['testsuite']);
    const suite = suites[0];
    for (const attribute of ['name', 'timestamp', 'hostname', 'tests', 'failures', 'errors', 'time']) assert.ok(attribute in suite.attributes, `testsuite has ${attribute}`);
    assert.match(suite.attributes.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/, 'ISO 8601 without a time zone, as the schema’s pattern wants');
    assert.equal(suite.attributes.hostname, 'ci-runner');
    assert.deepEqual(suite.children.map((c) => c.name), ['properties', 'testcase', 'testcase', 'testcase', 'testcase', 'system-out', 'system-err']);
    for (const testcase of suite.children.filter((c) => c.name === 'testcase')) {
      for (const attribute of ['name', 'classname', 'time']) assert.ok(attribute in testcase.attributes, `testcase has ${attribute}`);
      assert.match(testcase.attributes.time, /^\d+\.\d{3}$/);
    }
  });

  it('counts what it holds', () => {
    const suite = root.children[0];
    assert.deepEqual([suite.attributes.tests, suite.attributes.failures, suite.attributes.errors, suite.attributes.skipped, suite.attributes.time], ['4', '2', '0', '1', '2.345']);
  });

  it('gives a failure the trace’s place and cause as its message, the evidence as its text, and escapes all of it', () => {
    const testcases = root.children[0].children.filter((c) => c.name === 'testcase');
    assert.deepEqual(testcases[0].children, [], 'a passed test has no failure');
    const failure = testcases[1].children[0];
    assert.equal(failure.name, 'failure');
    assert.equal(failure.attributes.message, run.results[1].message);
    assert.equal(failure.attributes.type, 'trace mac-filter');
    assert.match(failure.text, /measured: control "probe" reached test-b:eth2/);
    assert.ok(!failure.text.includes('\u0007'), 'no control characters, which XML 1.0 forbids');
    assert.equal(testcases[1].attributes.name, 'all-pairs: test-a:eth2 -> test-b:eth2');
    assert.equal(testcases[1].attributes.classname, 'overlay-lab.demo');
    assert.equal(testcases[2].children[0].attributes.type, 'not-isolated');
    assert.deepEqual(testcases[3].children.map((c) => c.name), ['skipped']);
  });
});
