// The command line's verbs and options (cli.md); main.ts is the entry that runs it.

import { Command, CommanderError, Option } from 'commander';
import { applyCommand, planCommand, type ApplyCliOptions } from './applyCommands';
import { doctorCommand, type DoctorCliOptions } from './doctorCommand';
import { captureCommand, type CaptureCliOptions } from './captureCommand';
import { execCommand } from './execCommand';
import { EXIT_USAGE, UsageError } from './exitCodes';
import { CliExit, type SshCliOptions } from './labContext';
import { runCommand, type RunOptions } from './runCommand';
import { stateCommand, type StateOptions } from './stateCommand';
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
      .description("tcpdump on one host's interface, its lines streamed as tcpdump prints them; ends at --count, --seconds or Ctrl-C (exit 0); tcpdump's summary on stderr")
      .argument('<lab>', 'lab file')
      .argument('<host>', 'a host of the lab')
      .argument('<iface>', 'the interface to listen on, e.g. eth0')
      .option('--filter <bpf>', 'a BPF filter, e.g. "icmp or arp" (one argument)')
      .option('--count <n>', 'stop after n frames')
      .option('--seconds <s>', 'stop after s seconds')
      .option('--pcap <file>', 'also write what was captured to this pcap file (tcpdump -r reads it)'),
  ).action((lab: string, host: string, iface: string, options: CaptureCliOptions) => run(captureCommand(lab, host, iface, options)));

  withSshOptions(
    program
      .command('trace')
      .description('listens on every point of both legs, sends what ping -c 1 sends, follows the request and its answer, and says where it stopped and the measured cause; exit 1 when not delivered')
      .argument('<lab>', 'lab file')
      .requiredOption('--from <host[:iface]>', 'where the probe starts')
      .requiredOption('--to <address>', 'the address to reach')
      .option('--seconds <s>', 'how long ping waits for its answer, whole seconds (default 1)')
      .option('--size <bytes>', 'ICMP payload size, sent with do-not-fragment (finds MTU problems)')
      .option('--json', 'the result as cli.md specifies'),
  ).action((lab: string, options: TraceCliOptions) => run(traceCommand(lab, options)));

  withSshOptions(
    program
      .command('doctor')
      .description('overlay checks: daemons, datapath, tunnel symmetry, underlay reachability and path MTU, UDP ports, duplicates, addresses on bridge ports, OVS errors and log; exit 1 on an error finding')
      .argument('<lab>', 'lab file')
      .option('--json', 'machine-readable output: { findings, hosts }'),
  ).action((lab: string, options: DoctorCliOptions) => run(doctorCommand(lab, options)));

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
