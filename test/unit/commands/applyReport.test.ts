// The wording of Plan, Apply and Destroy, on plans of the demo lab made from hand-made host states.

import { strict as assert } from 'node:assert';
import { desiredHost } from '../../../src/compare/desired';
import type { LabPlan } from '../../../src/apply/labPlan';
import { planDestroy, planHost, type HostPlan } from '../../../src/apply/plan';
import type { HostApplyResult } from '../../../src/apply/runPlan';
import { renderApplySummary } from '../../../src/apply/planText';
import {
  applyOutcome,
  confirmation,
  hostList,
  nothingToDo,
  outputLogLine,
  planOverview,
  planReport,
  progressMessage,
  stepLogLines,
  summaryLogLines,
} from '../../../src/commands/applyReport';
import { blankOvsHost, configuredOvsHost, demoLab, testHost } from '../views/hostStates';

const lab = demoLab();
const EMPTY_STATE = { lab: 'demo', file: 'demo.lab.yaml', hosts: {}, drift: [] };

function applyPlan(plans: HostPlan[], failures: LabPlan['failures'] = []): LabPlan {
  return { mode: 'apply', plans, failures, state: EMPTY_STATE };
}

function blankPlan(): LabPlan {
  return applyPlan([
    planHost(desiredHost(lab, 'ovs-a'), blankOvsHost('ovs-a')),
    planHost(desiredHost(lab, 'ovs-b'), blankOvsHost('ovs-b')),
    planHost(desiredHost(lab, 'test-a'), testHost('test-a', false)),
    planHost(desiredHost(lab, 'test-b'), testHost('test-b', false)),
  ]);
}

function result(host: string, fields: Partial<HostApplyResult>): HostApplyResult {
  return { host, status: 'changed', stepsRun: 5, stepsTotal: 5, elapsedMs: 120, ...fields };
}

describe('the Plan, Apply and Destroy wording', () => {
  it('counts the changes per host and in all', () => {
    const overview = planOverview(blankPlan());
    assert.deepEqual(
      overview.changed.map((host) => `${host.host}:${host.changes}/${host.steps}`),
      ['ovs-a:9/5', 'ovs-b:9/5', 'test-a:1/1', 'test-b:1/1'],
    );
    assert.equal(overview.total, 20);
    assert.deepEqual(planReport('demo', overview), { severity: 'info', message: 'demo: 20 changes on 4 hosts.' });
  });

  it('says "no changes" when every host is as the file says', () => {
    const plan = applyPlan([planHost(desiredHost(lab, 'ovs-a'), configuredOvsHost('ovs-a')), planHost(desiredHost(lab, 'test-a'), testHost('test-a', true))]);
    const overview = planOverview(plan);
    assert.equal(overview.total, 0);
    assert.deepEqual(planReport('demo', overview), { severity: 'info', message: 'demo: no changes.' });
    assert.deepEqual(nothingToDo('demo', overview), { severity: 'info', message: 'demo: nothing to apply: every host is as the lab file says.' });
    const destroy = planOverview({ ...plan, mode: 'destroy', plans: [{ host: 'ovs-a', steps: [], problems: [], notes: [] }] });
    assert.equal(nothingToDo('demo', destroy)?.message, 'demo: nothing to destroy: none of what the lab declares is on its hosts.');
  });

  it('asks before applying, naming the hosts and counting the changes, per host in the detail', () => {
    const question = confirmation('demo', planOverview(blankPlan()));
    assert.equal(question.message, 'Apply 20 changes to ovs-a, ovs-b, test-a, test-b?');
    assert.equal(question.button, 'Apply');
    assert.equal(question.detail, ['ovs-a: 9 changes', 'ovs-b: 9 changes', 'test-a: 1 change', 'test-b: 1 change', '', 'The plan, with every command, is in the Overlay Lab log.'].join('\n'));
  });

  it('lists blocked and unreachable hosts with their reasons, apart from those that change', () => {
    const stopped = { ...blankOvsHost('ovs-b'), ovs: { state: 'stopped' as const, message: 'ovs-vswitchd is not running', stopped: ['ovs-vswitchd' as const] } };
    const plan = applyPlan([planHost(desiredHost(lab, 'ovs-a'), blankOvsHost('ovs-a')), planHost(desiredHost(lab, 'ovs-b'), stopped)], [
      { host: 'test-a', readAt: '', kind: 'timeout', message: 'test-a: timed out connecting through ovs-a' },
    ]);
    const overview = planOverview(plan);
    assert.deepEqual(
      overview.blocked.map((host) => host.host),
      ['ovs-b'],
    );
    assert.match(overview.blocked[0].problems[0], /^Open vSwitch is not running/);
    assert.deepEqual(overview.unread, [{ host: 'test-a', message: 'timed out connecting through ovs-a', reached: false }]);

    const question = confirmation('demo', overview);
    assert.equal(question.message, 'Apply 9 changes to ovs-a?');
    const detail = question.detail.split('\n');
    assert.deepEqual(detail.slice(0, 3), ['ovs-a: 9 changes', '', 'Blocked, nothing will run on them:']);
    assert.match(detail[3], /^ovs-b: Open vSwitch is not running/);
    assert.deepEqual(detail.slice(4, 7), ['', 'Not read, not planned:', 'test-a (unreachable): timed out connecting through ovs-a']);

    assert.deepEqual(planReport('demo', overview), { severity: 'warning', message: 'demo: 9 changes on 1 host. 1 host blocked (ovs-b); 1 unreachable (test-a): see the log.' });
  });

  it('says nothing was compared, as an error, when no host could be read', () => {
    const overview = planOverview(applyPlan([], [{ host: 'ovs-a', readAt: '', kind: 'connection-refused', message: 'ovs-a: connection refused' }]));
    assert.deepEqual(nothingToDo('demo', overview), { severity: 'error', message: 'demo: no host could be read, so nothing was compared with the lab file. 1 unreachable (ovs-a): see the log.' });
  });

  it('calls a host that answered but could not be read "reached, not read", never unreachable', () => {
    const sudo = { host: 'ovs-b', readAt: '', kind: 'sudo-password', message: 'ovs-b: reached, but sudo asks for a password (sudo: a password is required)' };
    const overview = planOverview(applyPlan([planHost(desiredHost(lab, 'test-a'), testHost('test-a', true))], [sudo, { host: 'ovs-a', readAt: '', kind: 'connection-refused', message: 'ovs-a: connection refused' }]));
    assert.deepEqual(
      overview.unread.map((host) => [host.host, host.reached]),
      [['ovs-b', true], ['ovs-a', false]],
    );
    assert.equal(nothingToDo('demo', overview)?.message, 'demo: nothing to apply on the hosts that were planned. 1 unreachable (ovs-a); 1 reached, not read (ovs-b): see the log.');
    assert.deepEqual(
      summaryLogLines([], '', overview).map((line) => line.text).slice(1),
      ['ovs-b: REACHED, NOT READ: reached, but sudo asks for a password (sudo: a password is required)', 'ovs-a: UNREACHABLE: connection refused'],
    );
  });

  it('says there is nothing to do on the hosts planned, and why the others were not', () => {
    const overview = planOverview(applyPlan([planHost(desiredHost(lab, 'test-a'), testHost('test-a', true))], [{ host: 'ovs-a', readAt: '', kind: 'connection-refused', message: 'ovs-a: connection refused' }]));
    assert.deepEqual(nothingToDo('demo', overview), { severity: 'warning', message: 'demo: nothing to apply on the hosts that were planned. 1 unreachable (ovs-a): see the log.' });
  });

  it('names the differences apply does not change instead of saying every host is as the file says', () => {
    const state = configuredOvsHost('ovs-a');
    state.bridges[1].ports[1].interfaces[0].error = 'could not open network device vx0 (No such device)';
    const overview = planOverview(applyPlan([planHost(desiredHost(lab, 'ovs-a'), state)]));
    const idle = nothingToDo('demo', overview);
    assert.equal(idle?.severity, 'warning');
    assert.match(idle?.message ?? '', /^demo: nothing to apply, but 1 difference apply does not change: ovs-a: OVS reports an error on \w+ \(bridge br0\): could not open network device vx0/);
  });

  it('asks before destroying', () => {
    const plan: LabPlan = { mode: 'destroy', plans: [planDestroy(desiredHost(lab, 'ovs-a'), configuredOvsHost('ovs-a')), planDestroy(desiredHost(lab, 'ovs-b'), configuredOvsHost('ovs-b'))], failures: [], state: EMPTY_STATE };
    const overview = planOverview(plan);
    const question = confirmation('demo', overview);
    assert.equal(question.button, 'Destroy');
    assert.equal(question.message, `Destroy demo on ovs-a, ovs-b (${overview.total} changes)?`);
    assert.match(planReport('demo', overview).message, /^demo: \d+ changes on 2 hosts to destroy the lab\.$/);
  });

  it('names six hosts at most', () => {
    assert.equal(hostList(['a', 'b']), 'a, b');
    assert.equal(hostList(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']), 'a, b, c, d, e, f and 2 more');
  });

  it('shows the step being run, with the other changes of a transaction counted', () => {
    const step = { changes: ['bring br-phy up'], argv: ['ip', 'link', 'set', 'dev', 'br-phy', 'up'], actions: [] };
    assert.equal(progressMessage({ type: 'step-start', host: 'ovs-a', index: 1, total: 5, step, command: 'ip link set dev br-phy up' }), 'ovs-a [2/5] bring br-phy up');
    const ovs = { changes: ['add OVS bridge br-phy (netdev)', 'add system port eth0 to br-phy', 'add OVS bridge br0 (netdev)'], argv: ['ovs-vsctl'], actions: [] };
    assert.equal(progressMessage({ type: 'step-start', host: 'ovs-a', index: 0, total: 5, step: ovs, command: 'ovs-vsctl' }), 'ovs-a [1/5] add OVS bridge br-phy (netdev) (+2 more changes)');
  });

  it('logs each step with its command, its output line by line, and failures', () => {
    const step = { changes: ['bring br-phy up'], argv: ['ip', 'link', 'set', 'dev', 'br-phy', 'up'], actions: [] };
    assert.deepEqual(stepLogLines({ type: 'step-start', host: 'ovs-a', index: 1, total: 5, step, command: 'ip link set dev br-phy up' }), [
      { level: 'info', text: 'ovs-a [2/5] bring br-phy up' },
      { level: 'info', text: 'ovs-a     $ ip link set dev br-phy up' },
    ]);
    assert.deepEqual(stepLogLines({ type: 'step-done', host: 'ovs-a', index: 1, ok: true }), []);
    assert.deepEqual(stepLogLines({ type: 'step-done', host: 'ovs-a', index: 1, ok: false }), [{ level: 'error', text: 'ovs-a [2] failed' }]);
    assert.deepEqual(outputLogLine('ovs-a', 'stderr', 'RTNETLINK answers: File exists'), { level: 'warn', text: 'ovs-a     RTNETLINK answers: File exists' });
  });

  it('logs the summary with a level per host, an error over several lines kept at its host’s level', () => {
    const overview = planOverview(applyPlan([], [{ host: 'test-b', readAt: '', kind: 'timeout', message: 'test-b: timed out' }]));
    const results = [
      result('ovs-a', {}),
      result('ovs-b', {
        status: 'failed',
        stepsRun: 1,
        failedStep: { index: 1, changes: ['bring br-phy up'], command: 'ip link set dev br-phy up', error: 'RTNETLINK answers: Operation not permitted\nsecond line' },
        message: 'ovs-b: step 2 of 5 (bring br-phy up) failed: RTNETLINK answers: Operation not permitted\nsecond line',
      }),
      result('test-a', { status: 'unchanged', stepsRun: 0, stepsTotal: 0 }),
    ];
    const lines = summaryLogLines(results, renderApplySummary(results), overview);
    assert.deepEqual(
      lines.map((line) => `${line.level} ${line.text}`),
      [
        'info ovs-a: done, 5 steps in 120 ms',
        'error ovs-b: FAILED: ovs-b: step 2 of 5 (bring br-phy up) failed: RTNETLINK answers: Operation not permitted',
        'error second line',
        'error     $ ip link set dev br-phy up',
        'info test-a: already as the lab file says',
        'warn test-b: UNREACHABLE: timed out',
      ],
    );
  });

  describe('the closing message', () => {
    const overview = planOverview(blankPlan());

    it('says what was applied when every host came out as asked', () => {
      const results = ['ovs-a', 'ovs-b', 'test-a', 'test-b'].map((host) => result(host, {}));
      assert.deepEqual(applyOutcome('demo', overview, results, false), { severity: 'info', message: 'demo: applied 20 changes to 4 hosts.' });
      const destroyed = applyOutcome('demo', { ...overview, mode: 'destroy' }, results, false);
      assert.equal(destroyed.message, 'demo: destroyed on 4 hosts (20 changes).');
    });

    it('names a failing host with its step and the first line of its error', () => {
      const results = [
        result('ovs-a', {}),
        result('ovs-b', {
          status: 'failed',
          stepsRun: 1,
          failedStep: { index: 1, changes: ['bring br-phy up'], command: 'ip link set dev br-phy up', error: 'RTNETLINK answers: Operation not permitted\nmore' },
        }),
        result('test-a', {}),
        result('test-b', {}),
      ];
      assert.deepEqual(applyOutcome('demo', overview, results, false), {
        severity: 'error',
        message: 'demo: apply failed. ovs-b failed at step 2 of 5 (bring br-phy up): RTNETLINK answers: Operation not permitted. Done on ovs-a, test-a, test-b.',
      });
    });

    it('says a run was cancelled, and where it stopped', () => {
      const results = [result('ovs-a', {}), result('ovs-b', { status: 'cancelled', stepsRun: 2, message: 'ovs-b: cancelled during step 3' })];
      assert.deepEqual(applyOutcome('demo', overview, results, true), { severity: 'warning', message: 'demo: apply cancelled. Stopped on ovs-b; what ran there stays. Done on ovs-a.' });
    });

    it('warns of the hosts left out (blocked or unreachable) even when the rest went well', () => {
      const partial = { ...overview, unread: [{ host: 'test-b', message: 'timed out', reached: false }] };
      const outcome = applyOutcome('demo', partial, [result('ovs-a', {})], false);
      assert.equal(outcome.severity, 'warning');
      assert.equal(outcome.message, 'demo: applied 20 changes to 1 host. Not run on test-b (blocked or not read).');
    });
  });
});
