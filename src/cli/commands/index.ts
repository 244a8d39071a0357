// Every subcommand of `tunix-rt`, in the order `--help` lists them. A feature adds its
// command here (one line) and keeps its code in its own file.
import type { CliCommand } from '../command';
import { doctorCommand } from './doctor';
import { generateCommand } from './generate';
import { datasetCommand } from './dataset';
import { demoCommand } from './demo';
import { validateCommand } from './validate';
import { importCommand } from './import';
import { tracesCommand } from './traces';
import { evalCommand } from './eval';
import { leaderboardCommand } from './leaderboard';
import { compareCommand } from './compare';
import { baselineCommand } from './baseline';
import { trainCommand } from './train';
import { runsCommand } from './runs';
import { modelsCommand } from './models';
import { sweepCommand } from './sweep';

export const COMMANDS: CliCommand[] = [doctorCommand, generateCommand, datasetCommand, demoCommand, validateCommand, importCommand, tracesCommand, evalCommand, leaderboardCommand, compareCommand, baselineCommand, trainCommand, runsCommand, sweepCommand, modelsCommand];
