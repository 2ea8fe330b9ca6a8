// Unit tests of bench/harness/affinity.mjs: bench/compare runs every system on one CPU, and a
// wrong mask would silently bring back the bias it removes, so check the masks the OS reports.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { allowedCpus, canPin, pinThreads, pinnedCommand, processTree } from '../../bench/harness/affinity.mjs';

const linux = process.platform === 'linux';
const skip = !linux ? 'needs Linux (/proc)' : !canPin(allowedCpus()[0]) ? 'needs /usr/bin/taskset and the right to set affinity' : false;
const allowedOf = (pid) => /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1];

test('allowedCpus lists the CPUs of this process', { skip: !linux && 'needs Linux (/proc)' }, () => {
  const cpus = allowedCpus();
  assert.ok(cpus.length >= 1);
  assert.ok(cpus.every((c) => Number.isInteger(c) && c >= 0));
  assert.deepEqual([...cpus].sort((a, b) => a - b), cpus);
  // The list read back as ranges matches what the kernel printed.
  const printed = allowedOf('self').split(',').flatMap((r) => {
    const [a, b = a] = r.split('-').map(Number);
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });
  assert.deepEqual(cpus, printed);
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
  const sh = spawn('/bin/sh', ['-c', `sleep 30; true # ${marker}`], { stdio: 'ignore' });
  let sleeper = null;
  try {
    let tree = [];
    for (let i = 0; i < 50 && tree.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 20));
      tree = processTree(marker);
    }
    assert.ok(tree.includes(sh.pid), 'the process whose command line holds the marker');
    sleeper = tree.find((pid) => pid !== sh.pid);
    assert.ok(sleeper, 'its child');
    const before = allowedOf(sh.pid);
    assert.equal(pinThreads(tree, 'sleep', cpu), 1);
    assert.equal(allowedOf(sleeper), String(cpu));
    assert.equal(allowedOf(sh.pid), before, 'a thread with another name keeps its mask');
    assert.equal(pinThreads(tree, 'no-such-thread', cpu), 0);
  } finally {
    if (sleeper) process.kill(sleeper, 'SIGKILL');
    sh.kill('SIGKILL');
  }
  assert.deepEqual(processTree(`${marker}-absent`), []);
});
