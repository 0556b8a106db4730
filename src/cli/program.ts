// The command line's verbs and options (cli.md); main.ts is the entry that runs it.

import { Command, CommanderError, Option } from 'commander';
import { applyCommand, planCommand, type ApplyCliOptions } from './applyCommands';
import { doctorCommand, type DoctorCliOptions } from './doctorCommand';
import { captureCommand } from './captureCommand';
import { mergedCaptureCommand, type MergedCliOptions } from './mergedCaptureCommand';
import { execCommand } from './execCommand';
import { EXIT_USAGE, UsageError } from './exitCodes';
import { CliExit, type SshCliOptions } from './labContext';
import { runCommand, type RunOptions } from './runCommand';
import { stateCommand, type StateOptions } from './stateCommand';
import { testCommand, type TestCliOptions } from './testCommand';
import { traceCommand, type TraceCliOptions } from './traceCommand';
import { validateCommand } from './validateCommand';

function withSshOptions(command: Command): Command {
  return command
    .option('--accept-new-host-keys', 'record unknown host keys (like strictHostKeyChecking: accept-new); changed keys are still refused')
    .option('--known-hosts <file>', 'the known_hosts file to check and record host keys in')
    .addOption(new Option('--connect-timeout <seconds>', 'seconds to wait for each SSH connection').default(undefined));
}

export function buildProgram(run: (work: Promise<number>) => void): Command {
  const program = new Command('overlay-lab')
    .description('Overlay Lab: build, inspect, capture and trace overlay networks across real hosts over SSH.')
    .exitOverride()
    .showHelpAfterError('(run overlay-lab --help for usage)');

  program
    .command('validate')
    .description('check lab files; prints FILE:LINE:COL: error|warning: message')
    .argument('<lab...>', 'lab files (*.lab.yaml)')
    .action((files: string[]) => run(validateCommand(files)));

  withSshOptions(
    program
      .command('exec')
      .description('run one command on one host of the lab (words after -- are an argument list)')
      .argument('<lab>', 'lab file')
      .argument('<host>', 'a host of the lab')
      .argument('<command...>', 'the command and its arguments, after --'),
  ).action((lab: string, host: string, argv: string[], options: SshCliOptions) => run(execCommand(lab, host, argv, options)));

  withSshOptions(
    program
      .command('plan')
      .description('the commands apply would run, per host; changes nothing; prints "no changes" when in sync')
      .argument('<lab>', 'lab file')
      .option('--host <host>', 'only this host')
      .option('--destroy', 'plan what destroy would remove')
      .option('--json', 'machine-readable output'),
  ).action((lab: string, options: ApplyCliOptions & { destroy?: boolean }) => run(planCommand(lab, options, options.destroy ? 'destroy' : 'apply')));

  withSshOptions(
    program
      .command('apply')
      .description("brings every host to the lab file's state, all hosts at once; a second run changes nothing")
      .argument('<lab>', 'lab file')
      .option('--host <host>', 'only this host')
      .option('--json', 'machine-readable output'),
  ).action((lab: string, options: ApplyCliOptions) => run(applyCommand(lab, options, 'apply')));

  withSshOptions(
    program
      .command('destroy')
      .description('removes what the lab file declares (bridges, tunnels, addresses), and nothing else')
      .argument('<lab>', 'lab file')
      .option('--host <host>', 'only this host')
      .option('--json', 'machine-readable output'),
  ).action((lab: string, options: ApplyCliOptions) => run(applyCommand(lab, options, 'destroy')));

  withSshOptions(
    program
      .command('state')
      .description('what is really on each host (bridges, ports, tunnels, interfaces, addresses) and its drift from the lab file; exit 1 on drift or an unreachable host')
      .argument('<lab>', 'lab file')
      .option('--host <host>', 'only this host')
      .option('--json', 'machine-readable output'),
  ).action((lab: string, options: StateOptions) => run(stateCommand(lab, options)));

  withSshOptions(
    program
      .command('run')
      .description("run one of the lab's scripts on its hosts at once, each line prefixed by its host; exit status is the worst host's")
      .argument('<lab>', 'lab file')
      .argument('<script>', 'a script of the lab')
      .option('--host <host>', 'only this host'),
  ).action((lab: string, script: string, options: RunOptions) => run(runCommand(lab, script, options)));

  withSshOptions(
    program
      .command('capture')
      .description(
        "tcpdump on one host's interface (HOST IFACE), its lines streamed as tcpdump prints them; or on several (HOST:IFACE HOST:IFACE …) in one timeline, each line prefixed by its host:iface and its time corrected by the host's measured clock offset; ends at --count, --seconds or Ctrl-C (exit 0); tcpdump's summary on stderr",
      )
      .argument('<lab>', 'lab file')
      .argument('<targets...>', 'HOST IFACE, or HOST:IFACE … (e.g. test-a:eth2 ovs-a:eth0 test-b:eth2)')
      .option('--filter <bpf>', 'a BPF filter, e.g. "icmp or arp" (one argument; all interfaces)')
      .option('--count <n>', 'stop after n frames (on each interface)')
      .option('--seconds <s>', 'stop after s seconds')
      .option('--pcap <file>', 'also write what was captured on one interface to this pcap file (tcpdump -r reads it)')
      .option('--pcapng <file>', 'also write what every interface captured to this one pcapng file, an interface per host:iface'),
  ).action((lab: string, targets: string[], options: MergedCliOptions) => {
    const single = targets.length === 2 && !targets.some((word) => word.includes(':')) && options.pcapng === undefined;
    return run(single ? captureCommand(lab, targets[0], targets[1], options) : targets.length === 1 && !targets[0].includes(':') ? Promise.reject(new UsageError('capture takes HOST IFACE, or HOST:IFACE …')) : mergedCaptureCommand(lab, targets, options));
  });

  withSshOptions(
    program
      .command('trace')
      .description('listens on every point of both legs, sends what ping -c 1 sends, follows the request and its answer, and says where it stopped and the measured cause; exit 1 when not delivered')
      .argument('<lab>', 'lab file')
      .requiredOption('--from <host[:iface]>', 'where the probe starts')
      .requiredOption('--to <address>', 'the address to reach')
      .option('--seconds <s>', 'how long ping waits for its answer, whole seconds (default 1)')
      .option('--size <bytes>', 'ICMP payload size, sent with do-not-fragment (finds MTU problems)')
      .option('--json', 'the result as cli.md specifies')
      .option('--pcapng <file>', 'also write the frames every capture point saw to this one pcapng file, an interface per host:iface'),
  ).action((lab: string, options: TraceCliOptions) => run(traceCommand(lab, options)));

  withSshOptions(
    program
      .command('doctor')
      .description('overlay checks: daemons, datapath, tunnel symmetry, underlay reachability and path MTU, UDP ports, duplicates, addresses on bridge ports, OVS errors and log; exit 1 on an error finding')
      .argument('<lab>', 'lab file')
      .option('--json', 'machine-readable output: { findings, hosts }'),
  ).action((lab: string, options: DoctorCliOptions) => run(doctorCommand(lab, options)));

  withSshOptions(
    program
      .command('test')
      .description("runs the lab file's tests (what must reach what), in parallel; a failed test is traced and shows where and why; exit 1 when any fails")
      .argument('<lab>', 'lab file')
      .option('--name <test>', 'only this test (a mesh\'s name runs all its pairs); repeat for several', (value: string, previous: string[] = []) => [...previous, value])
      .option('--json', 'machine-readable output: { tests, passed, failed }')
      .option('--junit <file>', 'also write JUnit XML, one testcase per test, for CI')
      .option('--doctor', "also run the doctor; its errors are failed tests"),
  ).action((lab: string, options: TestCliOptions) => run(testCommand(lab, options)));

  return program;
}

/** Runs the command line and resolves to its exit status. */
export async function runCli(argv: string[]): Promise<number> {
  let work: Promise<number> | undefined;
  const program = buildProgram((promise) => {
    work = promise;
  });
  try {
    program.parse(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    throw error;
  }
  if (!work) return 0;
  try {
    return await work;
  } catch (error) {
    if (error instanceof CliExit) return error.code;
    if (error instanceof UsageError) {
      process.stderr.write(`overlay-lab: ${error.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`overlay-lab: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}
