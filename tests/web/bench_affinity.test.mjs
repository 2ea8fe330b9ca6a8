// Unit tests of bench/harness/affinity.mjs: bench/compare runs every system on one CPU, and a
// wrong mask would silently bring back the bias it removes, so check the masks the OS reports.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  allowedCpus, canPin, parseCpuList, pinThreads, pinnedCommand, processTree,
} from '../../bench/harness/affinity.mjs';
import { parseOptions, resolveCpu } from '../../bench/harness/options.mjs';

const linux = process.platform === 'linux';
const skip = !linux ? 'needs Linux (/proc)' : !canPin(allowedCpus()[0]) ? 'needs /usr/bin/taskset and the right to set affinity' : false;
const allowedOf = (pid) => /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1];

test('CPU lists in the kernel\'s format are read, anything else gives none', () => {
  assert.deepEqual(parseCpuList('5'), [5]);
  assert.deepEqual(parseCpuList('0-1'), [0, 1]);
  assert.deepEqual(parseCpuList('0-3,8-11'), [0, 1, 2, 3, 8, 9, 10, 11]);
  assert.deepEqual(parseCpuList('2,7\n'), [2, 7]);
  for (const bad of ['', 'x', '1-', '-1', '0-1,', '1:2']) assert.deepEqual(parseCpuList(bad), [], bad);
});

test('allowedCpus lists the CPUs of this process', { skip: !linux && 'needs Linux (/proc)' }, () => {
  const cpus = allowedCpus();
  assert.ok(cpus.length >= 1);
  assert.deepEqual(cpus, parseCpuList(allowedOf('self')));
});

test('--cpu: none, the default, one allowed CPU; anything else is refused', { skip }, () => {
  const cpus = allowedCpus();
  assert.equal(resolveCpu('none').cpu, null);
  assert.equal(resolveCpu('first').cpu, cpus[0]);
  assert.equal(parseOptions([]).cpu, cpus[0]);
  assert.equal(parseOptions(['--cpu', String(cpus.at(-1))]).cpu, cpus.at(-1));
  assert.equal(parseOptions(['--cpu', 'none']).cpu, null);
  for (const bad of ['99999', 'x', '0,1', '-1', '1.5']) {
    assert.throws(() => parseOptions(['--cpu', bad]), /--cpu/, bad);
  }
  assert.throws(() => parseOptions(['--cpu']), /--cpu needs a value/);
  assert.throws(() => parseOptions(['--cpu', '--quick']), /--cpu needs a value/);
});

test('pinnedCommand starts a child on exactly that CPU, or leaves the command alone', { skip }, () => {
  assert.deepEqual(pinnedCommand(null, ['/bin/true']), ['/bin/true']);
  assert.equal(canPin(100000), false, 'a CPU this machine does not have');
  for (const cpu of allowedCpus()) {
    const [cmd, ...args] = pinnedCommand(cpu, ['/bin/grep', 'Cpus_allowed_list', '/proc/self/status']);
    const out = spawnSync(cmd, args, { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    assert.equal(out.stdout.trim().split(/\s+/)[1], String(cpu));
  }
});

test('pinThreads pins the named threads of a process tree and nothing else', { skip }, async () => {
  const cpu = allowedCpus().at(-1);
  const marker = `genlab-affinity-test-${process.pid}-${Date.now()}`;
  // sh (whose command line holds the marker) forks sleep: the tree is sh + sleep.
  // Its own process group, so that cleanup reaches sleep too whatever fails.
  const sh = spawn('/bin/sh', ['-c', `sleep 30; true # ${marker}`], { stdio: 'ignore', detached: true });
  try {
    let tree = [];
    for (let i = 0; i < 50 && tree.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 20));
      tree = processTree(marker);
    }
    assert.ok(tree.includes(sh.pid), 'the process whose command line holds the marker');
    const sleeper = tree.find((pid) => pid !== sh.pid);
    assert.ok(sleeper, 'its child');
    const before = allowedOf(sh.pid);
    assert.equal(pinThreads(tree, 'sleep', cpu), 1);
    assert.equal(allowedOf(sleeper), String(cpu));
    assert.equal(allowedOf(sh.pid), before, 'a thread with another name keeps its mask');
    assert.equal(pinThreads(tree, 'no-such-thread', cpu), 0);
  } finally {
    process.kill(-sh.pid, 'SIGKILL');
  }
  assert.deepEqual(processTree(`${marker}-absent`), []);
});
