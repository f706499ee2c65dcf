export { runCli } from './run-cli';
export { main } from './main';
export { CliError, type CliContext } from './cli-context';
export { parseDurationHours } from './parse-duration';
export { VERSION } from './version';
