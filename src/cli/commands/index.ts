// Every subcommand of `tunix-rt`, in the order `--help` lists them. A feature adds its
// command here (one line) and keeps its code in its own file.
import type { CliCommand } from '../command';
import { doctorCommand } from './doctor';

export const COMMANDS: CliCommand[] = [doctorCommand];
