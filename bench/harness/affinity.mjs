// CPU pinning for bench/compare, so that both sides of every ratio run on the same CPU.
// Why: on a shared VM one virtual CPU can be slowed for minutes by another tenant's work on its
// sibling hardware thread (here: a GEMM tile at 44.6 GFLOP/s on CPU 1 against 51.5 on CPU 0 in
// the same minute), and the OS keeps an idle-then-busy runner on the CPU it last used. Two
// runners that settle on different CPUs then compare CPUs, not programs. Pinned, each system
// meets whatever the one CPU suffers in its turn, and the rotating rounds share it out.
// Child runners start under taskset, all their threads with them (V8's compiler and GC threads
// too). In Chromium only the bench workers' threads are pinned: the page's main thread, which
// draws the frames, and V8's background threads stay free to use every CPU, as on a student's
// machine.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';

const TASKSET = '/usr/bin/taskset';  // util-linux, part of every Debian system

// A kernel CPU list such as "0-3,8-11" or "5" → [0, 1, 2, 3, 8, 9, 10, 11] or [5]; [] for
// anything that is not one.
export function parseCpuList(list) {
  const cpus = [];
  for (const part of String(list).trim().split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return [];
    const a = Number(m[1]), b = Number(m[2] ?? m[1]);
    for (let c = a; c <= b; c++) cpus.push(c);
  }
  return cpus;
}

// The CPUs this process may run on, e.g. [0, 1] (Linux; [] elsewhere).
export function allowedCpus() {
  try {
    return parseCpuList(/Cpus_allowed_list:\s*(\S+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '');
  } catch {
    return [];
  }
}

// Whether this process can start a child pinned to cpu (taskset present, affinity allowed).
export const canPin = (cpu = 0) =>
  existsSync(TASKSET) && spawnSync(TASKSET, ['-c', String(cpu), '/bin/true'], { stdio: 'ignore' }).status === 0;

// cmd (argv array) started pinned to cpu, or unchanged when cpu is null.
export function pinnedCommand(cpu, cmd) {
  return cpu === null ? cmd : [TASKSET, '-c', String(cpu), ...cmd];
}

// /proc/<pid>/stat → { ppid, comm }; null if the task is gone. comm may hold spaces or ')'.
function stat(file) {
  try {
    const s = readFileSync(file, 'utf8');
    const open = s.indexOf('('), close = s.lastIndexOf(')');
    return { comm: s.slice(open + 1, close), ppid: Number(s.slice(close + 2).split(' ')[1]) };
  } catch {
    return null;
  }
}

const pids = () => readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);

// Processes whose command line contains `marker`, with all their descendants.
export function processTree(marker) {
  const parent = new Map();
  const roots = [];
  for (const pid of pids()) {
    const st = stat(`/proc/${pid}/stat`);
    if (!st) continue;
    parent.set(pid, st.ppid);
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) roots.push(pid);
    } catch { /* gone */ }
  }
  const tree = new Set(roots);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (!tree.has(pid) && tree.has(ppid)) tree.add(pid), grew = true;
    }
  }
  return [...tree];
}

// Pins every thread named `prefix…` in the given processes to cpu; returns how many it pinned.
export function pinThreads(processes, prefix, cpu) {
  let pinned = 0;
  for (const pid of processes) {
    let tids = [];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      if (!stat(`/proc/${pid}/task/${tid}/stat`)?.comm.startsWith(prefix)) continue;
      if (spawnSync(TASKSET, ['-pc', String(cpu), tid], { stdio: 'ignore' }).status === 0) pinned++;
    }
  }
  return pinned;
}
