// bin/overlay-lab: the same core as the extension, from a terminal or a CI job (cli.md).
import { runCli } from './program';

runCli(process.argv).then((status) => {
  process.exitCode = status;
});
